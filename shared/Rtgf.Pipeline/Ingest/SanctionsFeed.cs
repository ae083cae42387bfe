using Rtgf.Ingestion.Sanctions;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Ingest;

/// <summary>DFAT: the consolidated list XLSX, replaced whole every run.</summary>
public sealed class SanctionsFeed(DfatClient client, Uri xlsxUrl) : IFeedSource
{
    public string Source => IngestSources.Sanctions;

    public IReadOnlyList<string> Tables { get; } = [IngestTables.SanctionsListings];

    public async Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default)
    {
        var list = await client.GetListAsync(xlsxUrl, cancellationToken).ConfigureAwait(false);
        return new FeedFetch(
            [.. list.Listings.Select(r => new FeedRecord(IngestTables.SanctionsListings, r))],
            [new SnapshotProvenance(xlsxUrl.AbsoluteUri, "dfat-consolidated-list")]);
    }
}
