using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Snapshots;
using Rtgf.Ingestion.Outbound;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Benchmarks.Ingest;

/// <summary>What the whole-list feed benches (<c>osl-national</c>, <c>ivi-national</c>, <c>abs-sync</c>) share: the outbound client to the simulator and the real <see cref="FeedSyncWorker"/> over Azurite.</summary>
internal static class FeedBench
{
    /// <summary>An outbound client with raw capture and generous timeouts (national workbooks are large), no rate limit.</summary>
    public static HttpClient Client(OutboundHttpClientFactory factory, string name, Uri baseAddress, DelegatingHandler? translation = null)
    {
#pragma warning disable CA2000 // The client owns the handler chain.
        return factory.CreateClient(
            new OutboundOptions { Name = name, BaseAddress = baseAddress, AttemptTimeout = TimeSpan.FromMinutes(2), TotalTimeout = TimeSpan.FromMinutes(10), RateLimitPermits = null, MaxConcurrency = 2 },
            new RawCaptureHandler(new SocketsHttpHandler()),
            translation);
#pragma warning restore CA2000
    }

    /// <summary>The worker the app runs for <paramref name="feed"/>, on the Azure stores of <paramref name="azuriteConnectionString"/>.</summary>
    public static FeedSyncWorker Worker(IFeedSource feed, string azuriteConnectionString, TimeProvider clock)
    {
        var tables = new TableServiceClient(azuriteConnectionString);
        var blobs = new BlobServiceClient(azuriteConnectionString);
        return new FeedSyncWorker(
            feed,
            new TableRecordTables(tables),
            new BlobSnapshotStore(blobs.GetBlobContainerClient(IngestTables.SnapshotContainer)),
            new TableIngestRunLog(tables),
            new TableSourceStateStore(tables),
            new BlobRawPayloadStore(blobs.GetBlobContainerClient(IngestTables.RawContainer)),
            clock);
    }
}
