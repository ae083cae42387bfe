using Rtgf.Core.Signing;

namespace Rtgf.Pipeline.Keys;

/// <summary>
/// The issuer key (Key Vault in Azure, a development key locally): it signs log checkpoints and certifies each
/// publication's short-lived token key. Resolved lazily because the Key Vault signer is created asynchronously.
/// </summary>
public interface IIssuerSigner
{
    ValueTask<ISigner> GetAsync(CancellationToken cancellationToken = default);
}
