using Rtgf.Ingestion.Cricos;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Ingest;

/// <summary>CRICOS: the bulk ZIP (providers, courses, locations).</summary>
public sealed class CricosFeed(CricosClient client, Uri zipUrl) : IFeedSource
{
    public string Source => IngestSources.Cricos;

    public IReadOnlyList<string> Tables { get; } = [IngestTables.CricosProviders, IngestTables.CricosCourses, IngestTables.CricosLocations];

    public async Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await client.GetSnapshotAsync(zipUrl, cancellationToken).ConfigureAwait(false);
        List<FeedRecord> records =
        [
            .. snapshot.Providers.Select(r => new FeedRecord(IngestTables.CricosProviders, r)),
            .. snapshot.Courses.Select(r => new FeedRecord(IngestTables.CricosCourses, r)),
            .. snapshot.Locations.Select(r => new FeedRecord(IngestTables.CricosLocations, r)),
        ];
        return new FeedFetch(records, [new SnapshotProvenance(zipUrl.AbsoluteUri, "cricos-zip")]);
    }
}
