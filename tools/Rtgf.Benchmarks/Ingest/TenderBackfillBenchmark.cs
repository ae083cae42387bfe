using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Snapshots;
using Rtgf.Benchmarks.Startup;
using Rtgf.Ingestion.AusTender;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Ingest;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;

namespace Rtgf.Benchmarks.Ingest;

/// <summary>
/// <c>tender-backfill [days]</c>: <c>tender-sync</c> back-filling <c>days</c> (default 365) one-day windows of the national
/// simulator's AusTender releases (~70,000 a year) through the real outbound pipeline into an in-memory Azurite, in runs of
/// 31 windows as the timer would, after seeding the TGA mirror's organisations with the national world's 4,000 RTOs (the
/// ABNs the keep filter matches). Reports time, peak working set, releases read and records kept.
/// </summary>
internal static class TenderBackfillBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var days = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 365;
        var clock = BenchClock.System;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Corpus = SimulatorCorpus.National, Seed = 42, TimeProvider = clock });
        using var factory = new OutboundHttpClientFactory(clock, NullLoggerFactory.Instance);
        using var ocds = FeedBench.Client(factory, "austender", simulator.BaseAddress);
        using var rss = FeedBench.Client(factory, "austender-atm", simulator.BaseAddress);
        var tables = new TableServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var recordTables = new TableRecordTables(tables);
        var mirror = new TgaMirror(recordTables);

        var seedStart = clock.GetTimestamp();
        var rtos = 0;
        foreach (var rto in simulator.World.Rtos)
        {
            var record = new RtoRecord(rto.Code, rto.LegalName, rto.Abn, [rto.TradingName], "Current", rto.RegistrationManager, rto.RegistrationStart, rto.RegistrationEnd, rto.Updated);
            await mirror.Organisations.TryWriteAsync(RecordRows.From(record, rto.Code, rto.Code, rto.Updated, "bench"), null);
            rtos++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {rtos} RTO organisations in the mirror in {clock.GetElapsedTime(seedStart).TotalSeconds:0.0} s"));

        // The worker's clock sits two hours after the simulator's (the settle margin is one hour); each run one second later.
        var simulatorNow = simulator.World.Clock;
        var options = new TenderSyncOptions { MaxWindowsPerRun = 31, BackfillFrom = simulatorNow.AddHours(1).AddDays(-days) };
        var runs = new TableIngestRunLog(tables);
        var states = new TableSourceStateStore(tables);
        var snapshots = new BlobSnapshotStore(blobs.GetBlobContainerClient(IngestTables.SnapshotContainer));
        var raw = new BlobRawPayloadStore(blobs.GetBlobContainerClient(IngestTables.RawContainer));
        var start = clock.GetTimestamp();
        long releases = 0;
        var run = 0;
        while (true)
        {
            var workerClock = new FixedClock(simulatorNow.AddHours(2).AddSeconds(run++));
            var worker = new TenderSyncWorker(
                new AusTenderClient(ocds, simulator.BaseAddress), new AtmFeedClient(rss, new Uri(simulator.BaseAddress, AtmFeedClient.DefaultFeedPath)),
                mirror, recordTables, snapshots, runs, states, raw, options, workerClock);
            var runStart = clock.GetTimestamp();
            var outcome = await worker.RunAsync(IngestTrigger.Manual);
            releases += outcome.Run.Records;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {outcome.Run.Status}, {clock.GetElapsedTime(runStart).TotalSeconds:0.0} s, {outcome.Run.Records} releases, {outcome.Run.Changed} rows changed, watermark {outcome.Run.ServerTime:yyyy-MM-dd}; steps {string.Join(", ", outcome.Run.StepList.Select(s => $"{s.Name} {s.DurationMs / 1000.0:0.00} s"))}"));
            if (outcome.Run.Status == IngestRunStatus.Failed)
            {
                await Console.Error.WriteLineAsync(outcome.Run.Error);
                return 1;
            }

            if (outcome.Run.Records == 0 || (await states.GetAsync(IngestSources.Tender)).Watermark >= simulatorNow)
            {
                break;
            }
        }

        var seconds = clock.GetElapsedTime(start).TotalSeconds;
        var kept = (await recordTables.Open(IngestTables.TenderContracts).GetPartitionAsync(TenderSyncWorker.ContractPartition)).Count;
        var tenders = (await recordTables.Open(IngestTables.Tenders).GetPartitionAsync(TenderSyncWorker.TenderPartition)).Count;
        var latest = await snapshots.GetLatestAsync(IngestSources.Tender);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tender-backfill: {days} days in {run} runs, {seconds:0.0} s; {releases} releases read ({releases / seconds:0} releases/s), {kept} contracts kept, {tenders} approaches to market kept, snapshot {latest?.Manifest.RecordCount} records"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB (national simulator world and Azurite client included); {Environment.ProcessorCount} cores"));
        return 0;
    }
}
