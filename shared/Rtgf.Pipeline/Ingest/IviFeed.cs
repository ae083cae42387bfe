using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// JSA's Internet Vacancy Index: the ANZSCO4 workbook the landing page links, every series replaced whole each run (one
/// record per state and code with all its months, so a revision rewrites history and never duplicates a month).
/// </summary>
public sealed class IviFeed(JsaIviClient client, string pagePath, TimeProvider time) : IFeedSource
{
    public string Source => IngestSources.Ivi;

    public IReadOnlyList<string> Tables { get; } = [IngestTables.VacancySeries];

    public async Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default)
    {
        var workbook = await client.GetAnzsco4Async(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), pagePath, cancellationToken).ConfigureAwait(false);
        return new FeedFetch(
            [.. workbook.Series.Select(r => new FeedRecord(IngestTables.VacancySeries, r))],
            [new SnapshotProvenance(workbook.Url.AbsoluteUri, "ivi-anzsco4", workbook.ETag)]);
    }
}
