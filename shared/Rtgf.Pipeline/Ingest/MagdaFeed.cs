using Rtgf.Ingestion;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// data.gov.au (<c>magda-monitor</c>): every run reads the whole watch list (<see cref="MagdaWatch"/>) in order —
/// <c>dataset:</c> entries by CKAN <c>package_show</c>, <c>search:</c> entries by <c>package_search</c> — into one
/// <see cref="DatasetRecord"/> per dataset id; a dataset several entries find is kept once, with the first entry as its
/// <c>watch</c>. The same catalogue again is no change; a new or changed resource (fingerprint), new metadata or a
/// dataset gone is a new snapshot, which the radar diffs. A watched dataset CKAN refuses as deleted or private (403
/// Authorization Error), answers Not Found for (purged), or shows as not active or private is withdrawn: it leaves the
/// snapshot. A search over <see cref="CkanClient.MaxSearchResults"/> fails the whole run on purpose: dropping only its
/// datasets would read, to the radar, as each of them withdrawn. A list that finds nothing at all fails the run (a wrong base URL must not empty the table).
/// </summary>
public sealed class MagdaFeed(CkanClient client, Uri baseUrl, IReadOnlyList<MagdaWatchEntry> watch) : IFeedSource
{
    public string Source => IngestSources.Magda;

    public IReadOnlyList<string> Tables { get; } = [IngestTables.Datasets];

    public async Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, DatasetRecord>(StringComparer.Ordinal);
        var order = new List<string>();
        var provenance = new List<SnapshotProvenance>();
        foreach (var entry in watch)
        {
            IReadOnlyList<CkanDataset> datasets;
            if (entry.Kind == MagdaWatchKind.Dataset)
            {
                datasets = await client.PackageShowAsync(entry.Value, cancellationToken).ConfigureAwait(false) is { } dataset ? [dataset] : [];
                provenance.Add(new SnapshotProvenance(new Uri(baseUrl, CkanClient.ActionPath + "package_show?id=" + Uri.EscapeDataString(entry.Value)).AbsoluteUri, "ckan-package-show"));
            }
            else
            {
                datasets = await client.PackageSearchAsync(entry.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
                provenance.Add(new SnapshotProvenance(new Uri(baseUrl, CkanClient.ActionPath + "package_search?q=" + Uri.EscapeDataString(entry.Value)).AbsoluteUri, "ckan-package-search"));
            }

            foreach (var dataset in datasets.OrderBy(d => d.Id, StringComparer.Ordinal))
            {
                if (found.TryAdd(dataset.Id, DatasetRecord.From(dataset, entry.Text)))
                {
                    order.Add(dataset.Id);
                }
            }
        }

        if (found.Count == 0)
        {
            throw new UpstreamFormatException($"data.gov.au: the watch list ({string.Join("; ", watch)}) found no dataset at all; check {MagdaWatch.Setting} and Upstream:DataGovAu:BaseUrl.");
        }

        return new FeedFetch([.. order.Select(id => new FeedRecord(IngestTables.Datasets, found[id]))], provenance);
    }
}
