using Rtgf.Core.Signing;

namespace Rtgf.Transparency.Tests.Support;

/// <summary>The local development signer, counting signatures so tests can prove one signature per checkpoint.</summary>
internal sealed class TestSigner : ISigner, IDisposable
{
    private readonly LocalDevelopmentSigner _inner = LocalDevelopmentSigner.Create();

    public EcPublicKey PublicKey => _inner.PublicKey;

    public int Calls { get; private set; }

    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default)
    {
        Calls++;
        return _inner.SignDigestAsync(sha256Digest, cancellationToken);
    }

    public void Dispose() => _inner.Dispose();
}
