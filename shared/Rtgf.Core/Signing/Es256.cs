using System.Buffers;
using System.Security.Cryptography;

namespace Rtgf.Core.Signing;

/// <summary>The ES256 primitive (RFC 7518 §3.4): ECDSA P-256 over SHA-256 of the ASCII signing input, 64-byte r||s.</summary>
internal static class Es256
{
    public const int SignatureLength = 64;

    /// <summary>SHA-256 of an ASCII signing input given as chars (base64url and '.', so one byte per char).</summary>
    public static void HashSigningInput(ReadOnlySpan<char> signingInput, Span<byte> digest)
    {
        byte[]? rented = null;
        var ascii = signingInput.Length <= 2048 ? stackalloc byte[2048] : (rented = ArrayPool<byte>.Shared.Rent(signingInput.Length));
        try
        {
            var length = System.Text.Encoding.ASCII.GetBytes(signingInput, ascii);
            SHA256.HashData(ascii[..length], digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static bool Verify(ECDsa key, ReadOnlySpan<char> signingInput, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        HashSigningInput(signingInput, digest);
        return key.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
