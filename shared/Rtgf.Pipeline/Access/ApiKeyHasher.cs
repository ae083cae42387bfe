using System.Security.Cryptography;

namespace Rtgf.Pipeline.Access;

/// <summary>
/// Stores keys as HMAC-SHA256 of the secret under a hash key kept outside storage (a Key Vault reference in the app's
/// settings): a copy of the keys table alone lets no one check guesses offline. Secrets are 256 random bits, so one HMAC
/// is enough; no slow password hash is needed.
/// </summary>
public sealed class ApiKeyHasher
{
    /// <summary>The setting holding the hash key (base64, at least 32 bytes).</summary>
    public const string Setting = "ApiKeys:HashKey";

    public const int MinKeyBytes = 32;

    private readonly byte[] _key;

    private ApiKeyHasher(byte[] key) => _key = key;

    /// <summary>The hasher for the setting's value, or the reason it cannot be used (the key is never part of the reason).</summary>
    public static ApiKeyHasher? FromSetting(string? base64, out string problem)
    {
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(base64))
        {
            problem = $"The setting {Setting} is missing: API keys cannot be checked or created.";
            return null;
        }

        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var length))
        {
            problem = $"The setting {Setting} is not base64: API keys cannot be checked or created.";
            return null;
        }

        if (length < MinKeyBytes)
        {
            problem = $"The setting {Setting} holds {length} bytes; at least {MinKeyBytes} are needed: API keys cannot be checked or created.";
            return null;
        }

        return new ApiKeyHasher(buffer[..length]);
    }

    public byte[] Hash(ReadOnlySpan<byte> secret) => HMACSHA256.HashData(_key, secret);

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="stored"/>, in time independent of where they differ.</summary>
    public bool Matches(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> stored)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, secret, hash);
        return CryptographicOperations.FixedTimeEquals(hash, stored);
    }
}
