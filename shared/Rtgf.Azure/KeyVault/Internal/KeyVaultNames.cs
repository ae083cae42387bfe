using System.Globalization;

namespace Rtgf.Azure.KeyVault.Internal;

/// <summary>Checks names and digests before anything is sent, so bad input fails with a specific message, not a 400.</summary>
internal static class KeyVaultNames
{
    public const int MaxKeyNameLength = 127;

    public static void ValidateKeyName(string name, string parameterName = "name")
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (name.Length is 0 or > MaxKeyNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException(
                $"Key name '{name}' is invalid: Key Vault key names are 1-{MaxKeyNameLength} characters of 0-9, a-z, A-Z and '-'.",
                parameterName);
        }
    }

    /// <summary>Versions are 32 lowercase hex digits in Key Vault; accept any alphanumeric token so nothing is escaped into a path.</summary>
    public static void ValidateVersion(string version, string parameterName = "version")
    {
        ArgumentNullException.ThrowIfNull(version, parameterName);
        if (version.Length is 0 or > 64 || !version.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"Key version '{version}' is invalid: a key version is 1-64 letters and digits.", parameterName);
        }
    }

    public static void ValidateDigest(SignatureAlgorithm algorithm, ReadOnlySpan<byte> digest, string parameterName = "digest")
    {
        if (algorithm != SignatureAlgorithm.ES256)
        {
            throw new ArgumentException($"Signature algorithm '{algorithm}' is not supported here; only ES256 is.", nameof(algorithm));
        }

        if (digest.Length != 32)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"ES256 signs a 32-byte SHA-256 digest; this one is {digest.Length} bytes (hash the data first)."),
                parameterName);
        }
    }
}
