using Rtgf.Core.Signing;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>The issuer key as the pipeline sees it, backed by a development signer.</summary>
internal sealed class FixedIssuerSigner(ISigner signer) : IIssuerSigner
{
    public ValueTask<ISigner> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(signer);
}
