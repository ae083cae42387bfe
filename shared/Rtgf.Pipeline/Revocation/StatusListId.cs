using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Rtgf.Pipeline.Revocation;

/// <summary>
/// A status list's id, <c>&lt;family&gt;/&lt;n&gt;</c>: a family name (lowercase letters, digits and hyphens, 1 to 64
/// characters) and a whole number (at most 19 digits). The one parser for the id wherever it arrives untrusted — a
/// route, a token's status uri, a reader's argument — so nothing else becomes a storage key.
/// </summary>
public sealed partial record StatusListId(string Family, long Number)
{
    /// <summary>The path a status list is served at, which a status uri must end in (followed by the id).</summary>
    public const string PathPrefix = "/revocations/status-lists/";

    /// <summary>Family names: lowercase letters, digits and hyphens, 1 to 64 characters.</summary>
    public static bool IsFamilyName(string? text) => text is not null && FamilyName().IsMatch(text);

    /// <summary>The id from its two parts (a route's <c>{family}/{n}</c>), or false.</summary>
    public static bool TryParse(string? family, string? number, [NotNullWhen(true)] out StatusListId? id)
    {
        id = IsFamilyName(family) && number is { Length: > 0 and <= 19 } &&
            long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? new StatusListId(family!, n)
            : null;
        return id is not null;
    }

    /// <summary>The id from <c>&lt;family&gt;/&lt;n&gt;</c>, or false.</summary>
    public static bool TryParse(string? listId, [NotNullWhen(true)] out StatusListId? id)
    {
        var slash = listId?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        id = null;
        return slash > 0 && TryParse(listId![..slash], listId[(slash + 1)..], out id);
    }

    /// <summary>
    /// The id a status uri names: an absolute URL whose path ends in <c>/revocations/status-lists/&lt;family&gt;/&lt;n&gt;</c>,
    /// with no query or fragment (docs/spec/api.md, status-reference-invalid); else false.
    /// </summary>
    public static bool TryParseUri(string? uri, [NotNullWhen(true)] out StatusListId? id)
    {
        id = null;
        if (uri is null || uri.Contains('?', StringComparison.Ordinal) || uri.Contains('#', StringComparison.Ordinal) ||
            !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return false;
        }

        // Anchored at the end: the last two segments are the id and the prefix sits right before them.
        var path = parsed.AbsolutePath;
        var numberSlash = path.LastIndexOf('/');
        var familySlash = numberSlash <= 0 ? -1 : path.LastIndexOf('/', numberSlash - 1);
        return familySlash >= 0 &&
            path.AsSpan(0, familySlash + 1).EndsWith(PathPrefix, StringComparison.Ordinal) &&
            TryParse(path[(familySlash + 1)..numberSlash], path[(numberSlash + 1)..], out id);
    }

    /// <summary><c>&lt;family&gt;/&lt;n&gt;</c>, the number without leading zeros.</summary>
    public override string ToString() => Family + "/" + Number.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FamilyName();
}
