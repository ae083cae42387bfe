using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Azure.Pipeline.Stats;
using Rtgf.Azure.Snapshots;
using Rtgf.Benchmarks.Compiler;
using Rtgf.Benchmarks.Startup;
using Rtgf.Compiler;
using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Register.Stats;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Benchmarks.Stats;

/// <summary>
/// <c>stats-national [seed]</c>: the statistics of a national publication computed and stored by the real
/// <see cref="StatsCacheWorker"/> against Azurite: the national world's four snapshots plus labour-market snapshots at
/// national scale (the OSL's occupations in both classifications; IVI series per unit group and state, twenty years of
/// months; ABS series per measure and state), a stored build that read them and its publication row. Reports the first
/// delivery (load the snapshots from Blob, count, store the document and the row), a warm recomputation, the no-op
/// redelivery, the document's size and peak working set.
/// </summary>
internal static class StatsNationalBenchmark
{
    private static readonly DateTimeOffset Clock = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var seed = args.Length > 0 ? ulong.Parse(args[0], CultureInfo.InvariantCulture) : 20261125UL;
        var clock = BenchClock.System;
        var snapshots = Corpus(seed); // the world is gone before the measurement
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stats-national (seed {seed}): {string.Join(", ", snapshots.Select(s => $"{s.Manifest.Source} {s.Manifest.RecordCount:N0}"))} records ({snapshots.Sum(s => (long)s.Records.Length) / 1048576.0:N0} MiB of JSON lines)"));

        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var records = new TableRecordStore(new TableServiceClient(azurite.ConnectionString));
        var snapshotStore = new BlobSnapshotStore(blobs.GetBlobContainerClient("rtgf-snapshots"));
        var builds = new BlobBuildStore(blobs.GetBlobContainerClient(BlobBuildStore.ContainerName));
        var documents = new BlobStatsDocumentStore(blobs.GetBlobContainerClient(BlobStatsDocumentStore.ContainerName));
        foreach (var snapshot in snapshots)
        {
            await snapshotStore.WriteAsync(snapshot);
        }

        var manifest = Encoding.UTF8.GetBytes("{\"bench\":\"stats-national\"}");
        var build = new StoredBuild(Sha256Digest.Of(manifest), manifest, [.. snapshots.Select(s => new BuildInput(s.Manifest.Source, s.Manifest.Digest, s.Manifest.RecordCount))]);
        await builds.SaveAsync(build);
        await records.TryCreateAsync(RecordTables.Publications, "publication", build.Hex, System.Text.Json.JsonSerializer.Serialize(
            new Publication(build.BuildId, Clock, 0, 0, 0, 0, 0), System.Text.Json.JsonSerializerOptions.Web));
        snapshots.Clear();
        Collect();

        var calculator = new PublicationStatsCalculator(builds, snapshotStore, records);
        var worker = new StatsCacheWorker(documents, records, calculator);
        var start = clock.GetTimestamp();
        var outcome = await worker.RunAsync(new StatsCacheRequest(build.BuildId));
        var first = clock.GetElapsedTime(start).TotalSeconds;

        start = clock.GetTimestamp();
        var warm = await calculator.ComputeAsync(build.BuildId, stored: true);
        var warmSeconds = clock.GetElapsedTime(start).TotalSeconds;

        start = clock.GetTimestamp();
        var again = await worker.RunAsync(new StatsCacheRequest(build.BuildId));
        var redelivery = clock.GetElapsedTime(start).TotalMilliseconds;
        var document = (await documents.GetAsync(build.BuildId))!.Value;

        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first delivery (cold JIT; snapshots read from Blob, counted, document and row stored): {first:F2} s, stored {outcome.DocumentCreated}/{outcome.HistoryCreated}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm recomputation (what /v1/stats does once per instance before the document is stored): {warmSeconds:F2} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"redelivery (no-op): {redelivery:F1} ms, wrote {again.DocumentCreated}/{again.HistoryCreated}; document {document.Length / 1024.0:N1} KiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"counted: {warm.Rtos.Total:N0} RTOs, {warm.Rtos.ScopeRows:N0} scope rows, {warm.Components.Total:N0} components, {warm.Cricos.Courses:N0} CRICOS courses, " +
            $"{warm.Shortages!.Occupations:N0} OSL occupations, {warm.Vacancies!.BySeries.Count} IVI series, {warm.Labour!.Series:N0} ABS series; process peak working set {process.PeakWorkingSet64 / 1048576.0:N0} MiB"));
        return outcome.DocumentCreated && outcome.HistoryCreated && !again.DocumentCreated && !again.HistoryCreated ? 0 : 1;
    }

    private static List<Snapshot> Corpus(ulong seed) => [.. NationalCorpus.Build(WorldGenerator.National(seed, Clock), Clock)];

    private static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}
