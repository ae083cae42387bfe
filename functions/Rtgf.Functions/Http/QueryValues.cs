using System.Globalization;
using System.Text.RegularExpressions;

namespace Rtgf.Functions.Http;

/// <summary>Strict parsing of route and query values: decimal digits only, no signs, no overflow; names from a fixed alphabet.</summary>
internal static partial class QueryValues
{
    public static bool TryParseNonNegative(string? text, out long value)
    {
        value = 0;
        return text is { Length: > 0 and <= 19 } && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Family names: lowercase letters, digits and hyphens, 1 to 64 characters.</summary>
    public static bool IsFamilyName(string? text) => text is not null && FamilyName().IsMatch(text);

    /// <summary>Token ids: 64 lowercase hex digits (SHA-256 of the payload).</summary>
    public static bool IsTokenId(string? text) => text is not null && TokenId().IsMatch(text);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FamilyName();

    [GeneratedRegex(@"^[0-9a-f]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TokenId();
}
