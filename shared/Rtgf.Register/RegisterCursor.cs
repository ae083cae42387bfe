using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rtgf.Register;

/// <summary>
/// The opaque cursor of a register page: the generation it was cut from (build id hex), the position of the next item, and
/// a fingerprint of the query (resource and filters), so a cursor is only ever read against the listing that made it.
/// Text: base64url of <c>{buildHex}.{position}.{fingerprint}</c>.
/// </summary>
public sealed record RegisterCursor(string BuildHex, int Position, string Fingerprint)
{
    /// <summary>Longest cursor text accepted (a real one is about 110 characters).</summary>
    public const int MaxLength = 256;

    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{BuildHex}.{Position}.{Fingerprint}")));

    /// <summary>The first 16 hex digits of the SHA-256 of the query's canonical text.</summary>
    public static string FingerprintOf(string query) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)))[..16];

    /// <summary>Parses a cursor; false with the reason when it is not one this register made.</summary>
    public static bool TryParse(string text, out RegisterCursor? cursor, out string error)
    {
        cursor = null;
        error = "cursor must be the nextCursor of a previous page.";
        if (text.Length is 0 or > MaxLength)
        {
            error = $"cursor must be the nextCursor of a previous page (1 to {MaxLength} characters).";
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(bytes).Split('.');
        if (parts.Length != 3 || !IsLowerHex(parts[0], 64) || !IsLowerHex(parts[2], 16)
            || parts[1].Length is 0 or > 9 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return false;
        }

        cursor = new RegisterCursor(parts[0], position, parts[2]);
        return true;
    }

    private static bool IsLowerHex(string text, int length) => text.Length == length && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
