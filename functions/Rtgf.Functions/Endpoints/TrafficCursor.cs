using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// <c>/ops/traffic</c>'s cursor text (inside <see cref="Http.ContinuationCursor"/>'s base64url): <c>t1.{digest}.{storage
/// continuation}</c>, the digest over the query's from, to, route and plan and the continuation (as the audit cursor binds
/// its filter). A cursor from another query or an edited one is refused before any storage call. The digest is not keyed
/// (no key is configured in every environment), so it binds a cursor to its query; it does not make one unforgeable.
/// </summary>
internal static class TrafficCursor
{
    private const string Version = "t1";

    public static string Write(string continuation, DateOnly from, DateOnly to, string? route, string? plan) =>
        string.Join('.', Version, Digest(continuation, from, to, route, plan), continuation);

    /// <summary>The storage continuation, or null when <paramref name="text"/> is not a cursor of this query.</summary>
    public static string? Read(string text, DateOnly from, DateOnly to, string? route, string? plan)
    {
        var parts = text.Split('.', 3);
        if (parts.Length != 3 || parts[0] != Version || parts[2].Length == 0)
        {
            return null;
        }

        var expected = Digest(parts[2], from, to, route, plan);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), Encoding.ASCII.GetBytes(expected)) ? parts[2] : null;
    }

    // Length-prefixed parts, so no two queries share a digest text.
    private static string Digest(string continuation, DateOnly from, DateOnly to, string? route, string? plan)
    {
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{from.DayNumber}|{to.DayNumber}|{route?.Length ?? -1}:{route}|{plan?.Length ?? -1}:{plan}|{continuation.Length}:{continuation}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
    }
}
