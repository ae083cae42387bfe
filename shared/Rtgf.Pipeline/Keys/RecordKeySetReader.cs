using Rtgf.Core.Signing;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Keys;

/// <summary>Reads the JWKS from the issuer key and the <c>jwks</c> table of certified publication keys.</summary>
public sealed class RecordKeySetReader(IRecordStore records, IIssuerSigner issuer) : IKeySetReader
{
    public async Task<JsonWebKeySet> GetAsync(CancellationToken cancellationToken = default)
    {
        var signer = await issuer.GetAsync(cancellationToken).ConfigureAwait(false);
        var rows = await records.QueryAllAsync(RecordTables.Jwks, Publisher.CertifiedPartition, cancellationToken).ConfigureAwait(false);
        return PublishedKeySet.Build(signer, rows.Select(r => RecordStoreExtensions.Read(r, PublishingJson.Default.KeyRow).Jwk));
    }
}
