using Rtgf.Ingestion.Snapshots;
using Rtgf.Ingestion.Teqsa;

namespace Rtgf.Pipeline.Ingest;

/// <summary>TEQSA: the National Register's list pages, then every provider page.</summary>
public sealed class TeqsaFeed(TeqsaClient client, Uri baseAddress, string registerPath = "national-register") : IFeedSource
{
    public string Source => IngestSources.Teqsa;

    public IReadOnlyList<string> Tables { get; } = [IngestTables.TeqsaProviders];

    public async Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default)
    {
        var links = await client.GetProviderLinksAsync(registerPath, cancellationToken).ConfigureAwait(false);
        var records = new List<FeedRecord>(links.Count);
        foreach (var link in links)
        {
            records.Add(new FeedRecord(IngestTables.TeqsaProviders, await client.GetProviderAsync(link, cancellationToken).ConfigureAwait(false)));
        }

        return new FeedFetch(records, [new SnapshotProvenance(new Uri(baseAddress, registerPath).AbsoluteUri, "teqsa-register")]);
    }
}
