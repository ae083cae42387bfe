using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Snapshots;
using Rtgf.Benchmarks.Startup;
using Rtgf.Ingestion.Cricos;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Sanctions;
using Rtgf.Ingestion.Teqsa;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Ingest;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;

namespace Rtgf.Benchmarks.Ingest;

/// <summary>
/// <c>national-sync [parallel-batches]</c>: the national-scale simulator and an in-memory Azurite, then a full TGA sync and
/// every batch ingested in process (the same worker classes the functions call, real Table/Blob clients, batches
/// delivered <c>parallel-batches</c> at a time), then CRICOS, TEQSA and DFAT. Reports wall time, records/s and peak memory.
/// </summary>
internal static class NationalSyncBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parallel = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
        var clock = BenchClock.System;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        var generate = clock.GetTimestamp();
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Corpus = SimulatorCorpus.National, Seed = 42, TimeProvider = clock });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"national world generated in {clock.GetElapsedTime(generate).TotalSeconds:0.0} s"));

        using var factory = new OutboundHttpClientFactory(clock, NullLoggerFactory.Instance);
        var tables = new TableServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var runs = new TableIngestRunLog(tables);
        var states = new TableSourceStateStore(tables);
        var ledger = new TableBatchLedger(tables);
        var records = new TableRecordTables(tables);
        var raw = new BlobRawPayloadStore(blobs.GetBlobContainerClient(IngestTables.RawContainer));
        var snapshots = new BlobSnapshotStore(blobs.GetBlobContainerClient(IngestTables.SnapshotContainer));
        var options = new IngestOptions { DetailConcurrency = 4 };

        var soapOptions = new TgaSoapOptions { Outbound = Outbound("tga-soap", new Uri(simulator.BaseAddress, "Deewr.Tga.WebServices/"), 4 * parallel), PageSize = 1000 };
        soapOptions.Outbound.Credentials = new UpstreamCredentials { UserName = "sim-user", Password = "sim-password" };
        using var soapHttp = Client(factory, soapOptions.Outbound);
        var soap = new TgaSoapClient(soapHttp, soapOptions);
        var sync = new TgaSyncWorker(soap, runs, states, ledger, raw, options, clock);
        var ingest = new TgaIngestWorker(soap, new TgaMirror(records), runs, states, ledger, snapshots, new TableDeadLetterLog(tables), raw, options, clock);

        var total = clock.GetTimestamp();
        var start = clock.GetTimestamp();
        var synced = await sync.RunAsync(IngestTrigger.Manual);
        if (synced.Run.Status != IngestRunStatus.Running)
        {
            await Console.Error.WriteLineAsync($"tga-sync ended {synced.Run.Status}: {synced.Run.Error}");
            return 1;
        }

        var syncSeconds = clock.GetElapsedTime(start).TotalSeconds;
        start = clock.GetTimestamp();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tga-sync: {syncSeconds:0.0} s, {synced.Run.Records} codes in {synced.Batches.Count} batches"));
        TgaIngestOutcome? final = null;
        var done = 0;
        var lastReport = clock.GetTimestamp();
        await Parallel.ForEachAsync(synced.Batches, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (batch, token) =>
        {
            var outcome = await ingest.RunAsync(JsonSerializer.Serialize(batch, IngestJsonContext.Default.TgaIngestBatch), "bench-" + batch.Batch, token);
            if (outcome.Result == TgaIngestResult.Finalised)
            {
                final = outcome;
            }

            // Progress every 30 s: a national run is long, and the rate shows whether it slows as the mirror grows.
            var completed = Interlocked.Increment(ref done);
            if (clock.GetElapsedTime(Interlocked.Read(ref lastReport)).TotalSeconds >= 30)
            {
                Interlocked.Exchange(ref lastReport, clock.GetTimestamp());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.GetElapsedTime(start).TotalSeconds:0} s: {completed}/{synced.Batches.Count} batches ingested"));
            }
        });
        var ingestSeconds = clock.GetElapsedTime(start).TotalSeconds;
        if (final?.Run is not { } run)
        {
            await Console.Error.WriteLineAsync("no batch finalised the TGA run");
            return 1;
        }

        Report("tga-sync (server time, searches, ledger)", syncSeconds, synced.Run.Records, "codes");
        Report($"tga-ingest ({synced.Batches.Count} batches, {parallel} at a time, finalise + snapshot)", ingestSeconds, run.Records, "codes");
        var snapshot = run.StepList.FirstOrDefault(s => s.Name == "build-snapshot");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  mirror rows changed {run.Changed}, snapshot records {snapshot?.Count}, snapshot {run.SnapshotDigest}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  finalising steps: {string.Join(", ", run.StepList.Select(s => $"{s.Name} {s.DurationMs / 1000.0:0.0} s ({s.Count})"))}"));

        using var cricosHttp = Client(factory, Outbound("cricos", simulator.BaseAddress, 2));
        using var teqsaHttp = Client(factory, Outbound("teqsa", simulator.BaseAddress, 2));
        using var dfatHttp = Client(factory, Outbound("dfat", simulator.BaseAddress, 2));
        IFeedSource[] feeds =
        [
            new CricosFeed(new CricosClient(cricosHttp), new Uri(simulator.BaseAddress, UpstreamSettings.DefaultCricosZipPath)),
            new TeqsaFeed(new TeqsaClient(teqsaHttp), simulator.BaseAddress),
            new SanctionsFeed(new DfatClient(dfatHttp), new Uri(simulator.BaseAddress, UpstreamSettings.DefaultDfatXlsxPath)),
        ];
        foreach (var feed in feeds)
        {
            start = clock.GetTimestamp();
            var outcome = await new FeedSyncWorker(feed, records, snapshots, runs, states, raw, clock).RunAsync(IngestTrigger.Manual);
            Report($"{feed.Source}-sync ({outcome.Run.Status})", clock.GetElapsedTime(start).TotalSeconds, outcome.Run.Records, "records");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.GetElapsedTime(total).TotalSeconds:0.0} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB (simulator world included); {Environment.ProcessorCount} cores"));
        return 0;
    }

    private static void Report(string what, double seconds, long count, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {seconds:0.0} s, {count} {unit}, {count / Math.Max(seconds, 0.001):0} {unit}/s"));

    private static OutboundOptions Outbound(string name, Uri baseAddress, int concurrency) => new()
    {
        Name = name,
        BaseAddress = baseAddress,
        AttemptTimeout = TimeSpan.FromMinutes(2),
        TotalTimeout = TimeSpan.FromMinutes(10),
        RateLimitPermits = null,
        MaxConcurrency = concurrency,
    };

#pragma warning disable CA2000 // The client owns the handler chain.
    private static HttpClient Client(OutboundHttpClientFactory factory, OutboundOptions options) =>
        factory.CreateClient(options, new RawCaptureHandler(new SocketsHttpHandler()));
#pragma warning restore CA2000
}
