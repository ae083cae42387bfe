using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using Rtgf.Core.Encoding;

namespace Rtgf.Core.Tokens;

/// <summary>JWS compact serialisation (RFC 7515 §7.1) for ES256 with a canonical protected header.</summary>
internal static class JwsCompact
{
    /// <summary>The canonical protected header <c>{"alg":"ES256","kid":…,"typ":…}</c>, base64url-encoded.</summary>
    public static string EncodeHeader(string kid, string type)
    {
        using var writer = new CanonicalJsonWriter(128);
        writer.WriteStartObject();
        writer.WriteString("alg", "ES256");
        writer.WriteString("kid", kid);
        writer.WriteString("typ", type);
        writer.WriteEndObject();
        return Base64Url.EncodeToString(writer.WrittenSpan);
    }

    /// <summary>Writes <c>header.payload</c> as ASCII into <paramref name="buffer"/> and returns its SHA-256.</summary>
    public static void BuildSigningInput(ReadOnlySpan<byte> encodedHeaderAscii, ReadOnlySpan<byte> payload, ArrayBufferWriter<byte> buffer, Span<byte> digest)
    {
        buffer.ResetWrittenCount();
        buffer.Write(encodedHeaderAscii);
        buffer.Write("."u8);
        var span = buffer.GetSpan(Base64Url.GetEncodedLength(payload.Length));
        Base64Url.EncodeToUtf8(payload, span, out _, out var written);
        buffer.Advance(written);
        SHA256.HashData(buffer.WrittenSpan, digest);
    }

    /// <summary>Appends <c>.signature</c> to the signing input in <paramref name="buffer"/> and returns the token.</summary>
    public static string Complete(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> signature)
    {
        buffer.Write("."u8);
        var span = buffer.GetSpan(Base64Url.GetEncodedLength(signature.Length));
        Base64Url.EncodeToUtf8(signature, span, out _, out var written);
        buffer.Advance(written);
        return System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan);
    }
}
