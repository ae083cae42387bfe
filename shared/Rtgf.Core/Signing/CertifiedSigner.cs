using System.Security.Cryptography;

namespace Rtgf.Core.Signing;

/// <summary>
/// A short-lived signing key certified by the issuer key (docs/adr/0006-high-volume-signing.md). The P-256 private key is
/// generated in process memory, never persisted or exported, and zeroed on <see cref="Dispose"/>; the issuer (Key Vault)
/// signs exactly once, over the key certificate. Signing is thread-safe: each thread gets its own ECDsa.
/// </summary>
public sealed class CertifiedSigner : ISigner, IDisposable
{
    private readonly ECParameters _privateKey;
    private readonly ThreadLocal<ECDsa> _perThread;
    private bool _disposed;

    private CertifiedSigner(ECDsa key, SigningKeyCertificate certificate)
    {
        _privateKey = key.ExportParameters(includePrivateParameters: true);
        _perThread = new ThreadLocal<ECDsa>(() => ECDsa.Create(_privateKey), trackAllValues: true);
        _perThread.Value = key;
        Certificate = certificate;
    }

    public EcPublicKey PublicKey => Certificate.SigningKey;

    /// <summary>The key certificate, published in the JWKS with the key (<see cref="ToJsonWebKey"/>) and logged.</summary>
    public SigningKeyCertificate Certificate { get; }

    /// <summary>
    /// Generates a signing key and has <paramref name="issuer"/> certify it for tokens with <c>iat</c> in
    /// [<paramref name="notBefore"/>, <paramref name="expires"/>). This is the only issuer signature the key costs.
    /// </summary>
    public static async Task<CertifiedSigner> CreateAsync(
        ISigner issuer, string issuerUrl, DateTimeOffset notBefore, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            var publicKey = EcPublicKey.FromParameters(key.ExportParameters(includePrivateParameters: false));
            var certificate = await SigningKeyCertificate.IssueAsync(issuer, issuerUrl, publicKey, notBefore, expires, cancellationToken).ConfigureAwait(false);
            return new CertifiedSigner(key, certificate);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The JWKS entry: the signing key with its certificate in <c>rtgf_cert</c>.</summary>
    public JsonWebKey ToJsonWebKey() => new(PublicKey, certificate: Certificate.Compact);

    /// <summary>Signs a SHA-256 digest into <paramref name="signature"/> (64 bytes, r||s). Safe to call from many threads.</summary>
    public void SignDigest(ReadOnlySpan<byte> sha256Digest, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (sha256Digest.Length != 32)
        {
            throw new ArgumentException("ES256 signs a 32-byte SHA-256 digest.", nameof(sha256Digest));
        }

        if (!_perThread.Value!.TrySignHash(sha256Digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out var written) ||
            written != Es256.SignatureLength)
        {
            throw new ArgumentException("The signature buffer must hold 64 bytes.", nameof(signature));
        }
    }

    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default)
    {
        var signature = new byte[Es256.SignatureLength];
        SignDigest(sha256Digest.Span, signature);
        return ValueTask.FromResult(signature);
    }

    public override string ToString() => $"CertifiedSigner(kid={PublicKey.Thumbprint}, issuer kid={Certificate.IssuerKid})";

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var ecdsa in _perThread.Values)
        {
            ecdsa.Dispose();
        }

        _perThread.Dispose();
        CryptographicOperations.ZeroMemory(_privateKey.D);
    }
}
