using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Rtgf.Azure.Audit;

/// <summary>One page of the audit trail, newest first, and where the next one starts (absent at the end).</summary>
public sealed record AuditPage(IReadOnlyList<Rtgf.Pipeline.Audit.AuditEntry> Entries, string? Continuation);

/// <summary>A continuation that no earlier page of this query gave out (made up, edited, or from another filter).</summary>
public sealed class AuditContinuationException : Exception
{
    public AuditContinuationException()
        : base("The continuation is not one this audit query gave out.")
    {
    }

    public AuditContinuationException(string message)
        : base(message)
    {
    }

    public AuditContinuationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An audit query's filter: the range and the optional action and actor.</summary>
internal sealed record AuditQuery(DateTimeOffset From, DateTimeOffset To, string? Action, string? Actor);

/// <summary>
/// The audit continuation: <c>a1.{entry row key}.{filter digest}</c>. Unlike a storage continuation token it is fully
/// checked before any storage call: the row key must have the entry shape, its instant must lie in the request's range,
/// and the digest must be the request's action and actor filter, so a made-up or edited cursor is refused, and one
/// that passes can only name a position inside the query the caller is already allowed to run. The range itself is not
/// bound: a later page may use a later <c>to</c> (the default is "now"); entries newer than the cursor are not reread.
/// </summary>
internal sealed partial record AuditContinuation(string RowKey, DateTimeOffset At)
{
    private const string Version = "a1";

    public static string Write(string rowKey, AuditQuery query) => string.Join('.', Version, rowKey, FilterDigest(query));

    public static AuditContinuation Read(string text, AuditQuery query)
    {
        var parts = text.Split('.');
        if (parts.Length != 3 || parts[0] != Version || !EntryRowKey().IsMatch(parts[1]))
        {
            throw new AuditContinuationException();
        }

        if (!long.TryParse(parts[1].AsSpan(TableAuditTrail.EntryPrefix.Length, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new AuditContinuationException();
        }

        var at = TableAuditTrail.AtOf(parts[1]);
        if (at < query.From || at >= query.To)
        {
            throw new AuditContinuationException("The continuation lies outside the requested range.");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[2]), Encoding.ASCII.GetBytes(FilterDigest(query))))
        {
            throw new AuditContinuationException("The continuation belongs to another action or actor filter.");
        }

        return new AuditContinuation(parts[1], at);
    }

    /// <summary>The filter's digest: length-prefixed so no two filters share one.</summary>
    private static string FilterDigest(AuditQuery query)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{query.Action?.Length ?? -1}:{query.Action}|{query.Actor?.Length ?? -1}:{query.Actor}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
    }

    [GeneratedRegex("^e-[0-9]{19}-[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex EntryRowKey();
}
