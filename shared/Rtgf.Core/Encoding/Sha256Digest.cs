using System.Security.Cryptography;

namespace Rtgf.Core.Encoding;

/// <summary>
/// The one digest notation RTGF writes everywhere (build ids, snapshot and record digests, log entry digests):
/// <c>sha256:</c> and 64 lowercase hex digits.
/// </summary>
public static class Sha256Digest
{
    public const string Prefix = "sha256:";

    /// <summary>The digest of <paramref name="data"/>.</summary>
    public static string Of(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return FromHash(hash);
    }

    /// <summary>The notation for a SHA-256 already computed (an incremental hash's result).</summary>
    public static string FromHash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 hash is {SHA256.HashSizeInBytes} bytes, not {hash.Length}.", nameof(hash));
        }

        return string.Create(Prefix.Length + (2 * SHA256.HashSizeInBytes), hash.ToArray(), static (chars, bytes) =>
        {
            Prefix.AsSpan().CopyTo(chars);
            Convert.TryToHexStringLower(bytes, chars[Prefix.Length..], out _);
        });
    }
}
