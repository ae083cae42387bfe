using System.Security.Cryptography;

namespace Rtgf.KeyVaultStandIn;

/// <summary>One key version: the private key (never exported; EC P-256 or RSA), its public JWK parts and attributes.</summary>
internal sealed class StoredKeyVersion(string version, AsymmetricAlgorithm key, string keyType, IReadOnlyList<string> keyOps, long created) : IDisposable
{
    private readonly ECParameters _public = key is ECDsa ec ? ec.ExportParameters(includePrivateParameters: false) : default;
    private readonly RSAParameters _rsaPublic = key is RSA rsa ? rsa.ExportParameters(includePrivateParameters: false) : default;

    public string Version { get; } = version;

    public string KeyType { get; } = keyType;

    public IReadOnlyList<string> KeyOps { get; } = keyOps;

    public long Created { get; } = created;

    public bool Enabled { get; init; } = true;

    public long? NotBefore { get; init; }

    public long? Expires { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public bool IsRsa => key is RSA;

    /// <summary>RSA key size in bits (0 for EC), so a rotation makes a key of the same size.</summary>
    public int KeySize => key is RSA ? key.KeySize : 0;

    public byte[] X => _public.Q.X!;

    public byte[] Y => _public.Q.Y!;

    public byte[] N => _rsaPublic.Modulus!;

    public byte[] E => _rsaPublic.Exponent!;

    /// <summary>Raw r || s over the digest; the key object is not safe for concurrent use, so one operation at a time per version.</summary>
    public byte[] SignHash(byte[] digest)
    {
        lock (key)
        {
            return ((ECDsa)key).SignHash(digest);
        }
    }

    public byte[] SignHashDer(byte[] digest)
    {
        lock (key)
        {
            return ((ECDsa)key).SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    public bool VerifyHash(byte[] digest, byte[] signature)
    {
        lock (key)
        {
            return ((ECDsa)key).VerifyHash(digest, signature);
        }
    }

    public byte[] Wrap(byte[] value, RSAEncryptionPadding padding)
    {
        lock (key)
        {
            return ((RSA)key).Encrypt(value, padding);
        }
    }

    /// <summary>Null when the value does not decrypt under this key (another key's ciphertext, changed bytes).</summary>
    public byte[]? Unwrap(byte[] value, RSAEncryptionPadding padding)
    {
        lock (key)
        {
            try
            {
                return ((RSA)key).Decrypt(value, padding);
            }
            catch (CryptographicException)
            {
                return null;
            }
        }
    }

    public void Dispose()
    {
        lock (key)
        {
            key.Dispose();
        }
    }
}
