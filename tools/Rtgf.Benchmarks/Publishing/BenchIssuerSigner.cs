using Rtgf.Core.Signing;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Benchmarks.Publishing;

/// <summary>A development issuer key behind the pipeline's issuer-key interface.</summary>
internal sealed class BenchIssuerSigner(ISigner signer) : IIssuerSigner
{
    public ValueTask<ISigner> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(signer);
}
