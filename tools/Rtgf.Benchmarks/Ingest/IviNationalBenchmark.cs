using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Benchmarks.Startup;
using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Outbound;
using Rtgf.Pipeline.Ingest;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;
using Rtgf.UpstreamSimulator.Jsa;

namespace Rtgf.Benchmarks.Ingest;

/// <summary>
/// <c>ivi-national [parses]</c>: the national simulator's ANZSCO4 workbook (about 460 unit groups × 9 states × 234 months),
/// parsed <c>parses</c> times in memory (MB/s of the XLSX), then one <c>ivi-sync</c> through the outbound pipeline into an
/// in-memory Azurite (fetch, generation write, snapshot). Reports sizes, times, records and peak memory.
/// </summary>
internal static class IviNationalBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parses = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var clock = BenchClock.System;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Corpus = SimulatorCorpus.National, Seed = 42, TimeProvider = clock });

        using var plain = new HttpClient { BaseAddress = simulator.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var render = clock.GetTimestamp();
        var xlsx = await plain.GetByteArrayAsync(IviEndpoints.FilePath(simulator.World.IviMonth).TrimStart('/'));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"workbook: {xlsx.Length / 1e6:0.00} MB, rendered and served in {clock.GetElapsedTime(render).TotalSeconds:0.0} s"));

        var series = 0;
        var points = 0L;
        var best = double.MaxValue;
        for (var i = 0; i < parses; i++)
        {
            var start = clock.GetTimestamp();
            var parsed = InternetVacancyIndexParser.Parse(new MemoryStream(xlsx, writable: false));
            var seconds = clock.GetElapsedTime(start).TotalSeconds;
            best = Math.Min(best, seconds);
            series = parsed.Count;
            points = parsed.Sum(s => (long)s.Points.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  parse {i + 1}: {seconds:0.000} s, {xlsx.Length / 1e6 / seconds:0.0} MB/s"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parse: best {best:0.000} s = {xlsx.Length / 1e6 / best:0.0} MB/s, {series} series, {points} points ({points / best:0} points/s)"));

        using var factory = new OutboundHttpClientFactory(clock, NullLoggerFactory.Instance);
        using var http = FeedBench.Client(factory, "jsa", simulator.BaseAddress);
        var worker = FeedBench.Worker(new IviFeed(new JsaIviClient(http), UpstreamSettings.DefaultIviPagePath, clock), azurite.ConnectionString, clock);
        var sync = clock.GetTimestamp();
        var outcome = await worker.RunAsync(IngestTrigger.Manual);
        var syncSeconds = clock.GetElapsedTime(sync).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ivi-sync ({outcome.Run.Status}): {syncSeconds:0.0} s, {outcome.Run.Records} records, {outcome.Run.Records / Math.Max(syncSeconds, 0.001):0} records/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  steps: {string.Join(", ", outcome.Run.StepList.Select(s => $"{s.Name} {s.DurationMs / 1000.0:0.0} s ({s.Count})"))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB (simulator included); {Environment.ProcessorCount} cores"));
        return outcome.Run.Status == IngestRunStatus.Succeeded ? 0 : 1;
    }
}
