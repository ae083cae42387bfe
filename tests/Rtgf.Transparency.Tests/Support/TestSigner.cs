using System.Security.Cryptography;
using Rtgf.Core.Signing;

namespace Rtgf.Transparency.Tests.Support;

/// <summary>An <see cref="ISigner"/> over an in-memory P-256 key, returning P1363 like Key Vault.</summary>
internal sealed class TestSigner : ISigner, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestSigner()
    {
        PublicKey = EcPublicKey.FromParameters(_key.ExportParameters(false));
    }

    public EcPublicKey PublicKey { get; }

    public int Calls { get; private set; }

    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default)
    {
        Calls++;
        return ValueTask.FromResult(_key.SignHash(sha256Digest.Span, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    public void Dispose() => _key.Dispose();
}
