using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// JSA's Occupation Shortage List: the year's workbook, found on the landing page and replaced whole every run (the
/// same list again is no change; a new year's list is a new snapshot). Provenance is the workbook's URL.
/// </summary>
public sealed class OslFeed(JsaOslClient client, string pagePath) : IFeedSource
{
    public string Source => IngestSources.Osl;

    public IReadOnlyList<string> Tables { get; } = [IngestTables.OccupationShortages];

    public async Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default)
    {
        var download = await client.GetListAsync(pagePath, cancellationToken).ConfigureAwait(false);
        return new FeedFetch(
            [.. download.List.Occupations.Select(r => new FeedRecord(IngestTables.OccupationShortages, r))],
            [new SnapshotProvenance(download.Url.AbsoluteUri, "jsa-osl-xlsx")]);
    }
}
