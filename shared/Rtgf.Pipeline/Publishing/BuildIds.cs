using System.Buffers;

namespace Rtgf.Pipeline.Publishing;

/// <summary>Build ids are <c>sha256:</c> and 64 lowercase hex digits; storage uses the hex part.</summary>
public static class BuildIds
{
    public const string Prefix = "sha256:";

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static bool IsValid(string? buildId) =>
        buildId is { Length: 71 } && buildId.StartsWith(Prefix, StringComparison.Ordinal) && !buildId.AsSpan(Prefix.Length).ContainsAnyExcept(LowerHex);

    /// <summary>The hex part; a malformed id is an <see cref="ArgumentException"/> naming it.</summary>
    public static string Hex(string buildId) => IsValid(buildId)
        ? buildId[Prefix.Length..]
        : throw new ArgumentException($"'{buildId}' is not a build id (sha256: and 64 lowercase hex digits).", nameof(buildId));
}
