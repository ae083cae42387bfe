using System.Buffers.Text;

namespace Rtgf.Core.Encoding;

/// <summary>
/// Base64url as JWS requires it (RFC 7515 §2): the URL-safe alphabet only, no padding, no whitespace, and no stray bits
/// in the last character, so each byte string has exactly one encoding. The framework decoder is lenient on all three.
/// </summary>
public static class Base64UrlStrict
{
    /// <summary>Decodes <paramref name="text"/> into <paramref name="destination"/>; false if it is not strict base64url or does not fit.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!IsStrict(text))
        {
            return false;
        }

        return Base64Url.TryDecodeFromChars(text, destination, out bytesWritten);
    }

    /// <summary>Decodes strict base64url or throws a <see cref="FormatException"/> naming <paramref name="what"/>.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text, string what)
    {
        if (!IsStrict(text))
        {
            throw new FormatException($"{what} is not strict base64url (alphabet A-Z a-z 0-9 - _, no padding, no whitespace).");
        }

        return Base64Url.DecodeFromChars(text);
    }

    public static int GetMaxDecodedLength(int length) => Base64Url.GetMaxDecodedLength(length);

    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>Whether <paramref name="text"/> uses only the alphabet, has a possible length and zero unused trailing bits.</summary>
    public static bool IsStrict(ReadOnlySpan<char> text)
    {
        if (text.Length % 4 == 1 || text.ContainsAnyExcept(Alphabet))
        {
            return false;
        }

        if (text.IsEmpty)
        {
            return true;
        }

        var last = Value(text[^1]);
        return (text.Length % 4) switch
        {
            2 => (last & 0x0F) == 0,
            3 => (last & 0x03) == 0,
            _ => true,
        };
    }

    private static readonly System.Buffers.SearchValues<char> Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
