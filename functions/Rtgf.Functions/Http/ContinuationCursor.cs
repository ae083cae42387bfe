using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Rtgf.Functions.Http;

/// <summary>
/// A storage continuation token as an opaque <c>cursor</c> query value: base64url of its UTF-8 text. Decoding refuses
/// anything that is not one (too long, outside the alphabet, not UTF-8, empty or with control characters) with null, so a
/// bad cursor is a 400, never a storage error.
/// </summary>
internal static class ContinuationCursor
{
    /// <summary>The longest cursor accepted (Table continuation tokens are far shorter).</summary>
    public const int MaxLength = 2048;

    public static string Encode(string continuation) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(continuation));

    public static string? Decode(string cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.Length is 0 or > MaxLength)
        {
            return null;
        }

        // The OperationStatus form: TryDecodeFromChars throws on characters outside the alphabet.
        var bytes = new byte[Base64Url.GetMaxDecodedLength(cursor.Length)];
        if (Base64Url.DecodeFromChars(cursor, bytes, out _, out var written) != OperationStatus.Done)
        {
            return null;
        }

        try
        {
            var text = new UTF8Encoding(false, true).GetString(bytes, 0, written);
            return text.Length == 0 || text.Any(char.IsControl) ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
