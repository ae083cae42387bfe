using System.Security.Cryptography;
using Rtgf.Core.Signing;

namespace Rtgf.Core.Tokens;

/// <summary>A key the verifier may meet as a token <c>kid</c>, with its ECDsa cached per thread (ECDsa is not thread-safe).</summary>
internal sealed class VerificationKey : IDisposable
{
    private readonly ThreadLocal<ECDsa> _ecdsa;
    private bool _disposed;

    /// <summary>Set (under a lock on this key) once <see cref="Certificate"/> or <see cref="CertificateProblem"/> holds the outcome of the one certificate check.</summary>
#pragma warning disable CA1051 // A field so the verifier can read it with Volatile.Read.
    internal bool CertificateChecked;
#pragma warning restore CA1051

    public VerificationKey(JsonWebKey jwk)
    {
        Jwk = jwk;
        _ecdsa = new ThreadLocal<ECDsa>(jwk.Key.CreateEcdsa, trackAllValues: true);
    }

    public JsonWebKey Jwk { get; }

    /// <summary>For a certified signing key: its certificate, once it verified against a trusted issuer key.</summary>
    public SigningKeyCertificate? Certificate { get; set; }

    /// <summary>For a certified signing key whose certificate did not verify: why.</summary>
    public TokenFailure? CertificateProblem { get; set; }

    public bool IsCertified => Jwk.Certificate is not null;

    public ECDsa Ecdsa => _ecdsa.Value!;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var ecdsa in _ecdsa.Values)
        {
            ecdsa.Dispose();
        }

        _ecdsa.Dispose();
    }
}
