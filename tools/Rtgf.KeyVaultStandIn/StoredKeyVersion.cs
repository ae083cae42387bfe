using System.Security.Cryptography;

namespace Rtgf.KeyVaultStandIn;

/// <summary>One key version: the private key (never exported), its public JWK parts and attributes.</summary>
internal sealed class StoredKeyVersion(string version, ECDsa key, string keyType, IReadOnlyList<string> keyOps, long created) : IDisposable
{
    private readonly ECParameters _public = key.ExportParameters(includePrivateParameters: false);

    public string Version { get; } = version;

    public string KeyType { get; } = keyType;

    public IReadOnlyList<string> KeyOps { get; } = keyOps;

    public long Created { get; } = created;

    public bool Enabled { get; init; } = true;

    public long? NotBefore { get; init; }

    public long? Expires { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public byte[] X => _public.Q.X!;

    public byte[] Y => _public.Q.Y!;

    /// <summary>Raw r || s over the digest; the ECDsa object is not safe for concurrent use, so one signature at a time per version.</summary>
    public byte[] SignHash(byte[] digest)
    {
        lock (key)
        {
            return key.SignHash(digest);
        }
    }

    public byte[] SignHashDer(byte[] digest)
    {
        lock (key)
        {
            return key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    public bool VerifyHash(byte[] digest, byte[] signature)
    {
        lock (key)
        {
            return key.VerifyHash(digest, signature);
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
