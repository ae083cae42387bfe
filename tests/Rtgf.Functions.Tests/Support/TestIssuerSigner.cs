using Rtgf.Core.Signing;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Functions.Tests.Support;

/// <summary>The issuer key as a development signer (it signs checkpoints, status lists and publication-key certificates).</summary>
public sealed class TestIssuerSigner(ISigner signer) : IIssuerSigner
{
    public ValueTask<ISigner> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(signer);
}
