using System.Security.Cryptography;
using Rtgf.Core.Signing;

namespace Rtgf.Benchmarks.Transparency;

/// <summary>An ES256 signer over an in-memory key, so the log benchmarks measure the log, not Key Vault.</summary>
internal sealed class InMemorySigner : ISigner, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public InMemorySigner() => PublicKey = EcPublicKey.FromParameters(_key.ExportParameters(false));

    public EcPublicKey PublicKey { get; }

    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_key.SignHash(sha256Digest.Span, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public void Dispose() => _key.Dispose();
}
