using Rtgf.Core.Signing;

namespace Rtgf.Core.Tests.Signing;

/// <summary>Wraps a real signer and counts its calls: proves how many issuer (Key Vault) signatures an operation costs.</summary>
internal sealed class CountingSigner(ISigner inner) : ISigner
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public EcPublicKey PublicKey => inner.PublicKey;

    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return inner.SignDigestAsync(sha256Digest, cancellationToken);
    }
}
