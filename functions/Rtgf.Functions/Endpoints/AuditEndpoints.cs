using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Azure.Audit;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Functions.Endpoints;

/// <summary>A page of <c>GET /ops/audit</c>: entries newest first, and the cursor of the next page (absent at the end).</summary>
internal sealed record AuditList(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<AuditEntry> Entries, string? NextCursor);

/// <summary>
/// <c>GET /ops/audit</c>: the append-only audit trail of operator actions (docs/spec/operations.md#audit), newest first.
/// <c>from</c> (inclusive) and <c>to</c> (exclusive) are RFC 3339 instants; without them the last 365 days up to now (and a minute past it).
/// </summary>
internal static class AuditEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxFilterLength = OperatorActor.MaxLength;

    /// <summary>The default range when <c>from</c> is absent.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(365);

    /// <summary>How far past now the default range reaches.</summary>
    public static readonly TimeSpan ClockAllowance = TimeSpan.FromMinutes(1);

    /// <summary>The widest range one query may span: each month in it is one partition read.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(5 * 366);

    public static async Task<Results<Ok<AuditList>, ProblemHttpResult>> ListAsync(
        HttpRequest request, TableAuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PageRequest.TryRead(request, DefaultPageSize, MaxPageSize, out var page, out var invalid))
        {
            return invalid;
        }

        if (!TryInstant(request, "to", out var to, out var problem) || !TryInstant(request, "from", out var from, out problem))
        {
            return problem!;
        }

        // Without 'to', up to now and a minute past it: an entry stamped now (or by an instance whose clock runs a little ahead) is listed.
        var now = time.GetUtcNow();
        var until = to ?? now + ClockAllowance;
        var since = from ?? now - DefaultRange;
        if (since >= until || until - since > MaxRange)
        {
            return ApiProblem.InvalidRequest($"'from' must be before 'to', at most {MaxRange.TotalDays.ToString(CultureInfo.InvariantCulture)} days apart.");
        }

        if (!TryFilter(request, "action", out var action, out problem) || !TryFilter(request, "actor", out var actor, out problem))
        {
            return problem!;
        }

        AuditPage read;
        try
        {
            read = await trail.ReadPageAsync(since, until, action, actor, page.Continuation, page.Limit, cancellationToken).ConfigureAwait(false);
        }
        catch (AuditContinuationException)
        {
            return ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out for this action and actor filter and range.");
        }

        return TypedResults.Ok(new AuditList(since, until, read.Entries, read.Continuation is { } next ? ContinuationCursor.Encode(next) : null));
    }

    private static bool TryInstant(HttpRequest request, string name, out DateTimeOffset? value, out ProblemHttpResult? problem)
    {
        value = null;
        problem = null;
        if (QueryValues.Get(request, name) is not { } text)
        {
            return true;
        }

        // RFC 3339 only: a date and a time with an offset (or Z); no local times, no bare dates.
        if (text.Length > 40 || !text.Contains('T', StringComparison.Ordinal)
            || !(text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal))
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            problem = ApiProblem.InvalidRequest($"'{name}' must be an RFC 3339 date-time with an offset, such as 2026-12-01T00:00:00Z.");
            return false;
        }

        value = parsed.ToUniversalTime();
        return true;
    }

    private static bool TryFilter(HttpRequest request, string name, out string? value, out ProblemHttpResult? problem)
    {
        value = QueryValues.Get(request, name);
        problem = null;
        if (value is null || (value.Length is > 0 and <= MaxFilterLength && !value.Any(char.IsControl)))
        {
            return true;
        }

        problem = ApiProblem.InvalidRequest($"'{name}' must be 1 to {MaxFilterLength} characters without control characters.");
        return false;
    }
}
