using System.Security.Cryptography;

namespace Rtgf.Core.Signing;

/// <summary>
/// An in-memory P-256 signer for local development and tests, behind the same <see cref="ISigner"/> as Key Vault.
/// The private key never leaves this object: there is no export, and <see cref="ToString"/> shows only the kid.
/// </summary>
public sealed class LocalDevelopmentSigner : ISigner, IDisposable
{
    private readonly ECDsa _key;
    private readonly Lock _gate = new();

    private LocalDevelopmentSigner(ECDsa key)
    {
        _key = key;
        PublicKey = EcPublicKey.FromParameters(key.ExportParameters(includePrivateParameters: false));
    }

    public EcPublicKey PublicKey { get; }

    /// <summary>A fresh key (ECDsa.Create draws from the OS generator).</summary>
    public static LocalDevelopmentSigner Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Imports a P-256 private key (e.g. a fixed development key so tokens survive restarts).</summary>
    public static LocalDevelopmentSigner Import(ECParameters privateKey)
    {
        if (privateKey.D is null)
        {
            throw new ArgumentException("A signer needs the private scalar D.", nameof(privateKey));
        }

        if (privateKey.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("Only P-256 keys are supported.", nameof(privateKey));
        }

        return new LocalDevelopmentSigner(ECDsa.Create(privateKey));
    }

    /// <summary>Imports a PKCS#8 P-256 private key.</summary>
    public static LocalDevelopmentSigner ImportPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            if (key.KeySize != 256)
            {
                throw new ArgumentException("Only P-256 keys are supported.", nameof(pkcs8));
            }

            return new LocalDevelopmentSigner(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default)
    {
        if (sha256Digest.Length != 32)
        {
            throw new ArgumentException("ES256 signs a 32-byte SHA-256 digest.", nameof(sha256Digest));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // ECDsa instances are not safe for concurrent use.
            return ValueTask.FromResult(_key.SignHash(sha256Digest.Span, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
    }

    public override string ToString() => $"LocalDevelopmentSigner(kid={PublicKey.Thumbprint})";

    public void Dispose() => _key.Dispose();
}
