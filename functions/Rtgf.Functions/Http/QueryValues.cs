using System.Globalization;
using System.Text.RegularExpressions;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Http;

/// <summary>Strict parsing of route and query values: decimal digits only, no signs, no overflow; names from a fixed alphabet.</summary>
internal static partial class QueryValues
{
    /// <summary>A query value as the handler validates it: null when absent, repeated values joined by commas (so they fail strict parsing).</summary>
    public static string? Get(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>
    /// A route value as the worker's own router matched it (null when the route did not capture it, such as an empty
    /// catch-all). Never a bound parameter: binding falls back to the trigger metadata, which holds the query values too, so
    /// <c>?id=…</c> would stand in for a missing or other route value.
    /// </summary>
    public static string? Route(HttpRequest request, string name) =>
        request.RouteValues.TryGetValue(name, out var value) ? value as string : null;

    public static bool TryParseNonNegative(string? text, out long value)
    {
        value = 0;
        return text is { Length: > 0 and <= 19 } && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Family names: the registry's one rule (<see cref="StatusListId.IsFamilyName"/>).</summary>
    public static bool IsFamilyName(string? text) => StatusListId.IsFamilyName(text);

    /// <summary>Token ids: 64 lowercase hex digits (SHA-256 of the payload).</summary>
    public static bool IsTokenId(string? text) => text is not null && TokenId().IsMatch(text);

    [GeneratedRegex(@"^[0-9a-f]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TokenId();
}
