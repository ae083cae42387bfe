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
        // A key enters the JWKS once its jwks entry is logged; it signs nothing before that.
        return PublishedKeySet.Build(signer, rows.Select(r => RecordStoreExtensions.Read(r, PublishingJson.Default.KeyRow)).Where(k => k.LogIndex >= 0).Select(k => k.Jwk));
    }
}
