using Rtgf.Ingestion;
using Rtgf.Ingestion.Abs;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// ABS: the configured labour-force and population series, each query from the same fixed <c>startPeriod</c> every run, so
/// every snapshot holds whole series and a correction anywhere in them rewrites the series' record (docs/spec/ingest.md).
/// </summary>
public sealed class AbsFeed(AbsDataClient client, Uri baseUrl, IReadOnlyList<AbsSeriesSelection> selections, string startPeriod) : IFeedSource
{
    public string Source => IngestSources.Abs;

    public IReadOnlyList<string> Tables { get; } = [IngestTables.LabourSeries];

    public async Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default)
    {
        var records = new List<FeedRecord>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var provenance = new List<SnapshotProvenance>();
        foreach (var selection in selections)
        {
            foreach (var series in await client.GetSeriesAsync(selection, startPeriod, cancellationToken).ConfigureAwait(false))
            {
                if (!keys.Add(series.Key))
                {
                    throw new UpstreamFormatException($"ABS {selection}: series {series.SeriesKey} was already fetched by another configured query (Upstream:Abs:Series overlaps).");
                }

                records.Add(new FeedRecord(IngestTables.LabourSeries, series));
            }

            var (url, _) = JsaProxyTranslation.Translate(new Uri(baseUrl, JsaProxyTranslation.Endpoint), AbsDataClient.Query(selection, startPeriod).ToJson());
            provenance.Add(new SnapshotProvenance(url.AbsoluteUri, "abs-sdmx-json"));
        }

        return new FeedFetch(records, provenance);
    }
}
