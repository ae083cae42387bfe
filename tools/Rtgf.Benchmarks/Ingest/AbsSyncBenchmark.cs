using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Benchmarks.Startup;
using Rtgf.Ingestion.Abs;
using Rtgf.Ingestion.Outbound;
using Rtgf.Pipeline.Ingest;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;

namespace Rtgf.Benchmarks.Ingest;

/// <summary>
/// <c>abs-sync [iterations]</c>: SDMX-JSON parse rate (MB/s) over the national simulator's whole labour-force flow
/// (<c>LF/all</c>, every series from 1978), then <c>abs-sync</c> against the national simulator and an in-memory Azurite
/// through the jsa-proxy translation and the outbound pipeline: the default series from 1978, then the same run again
/// (no change). Reports wall time, bytes, series and peak memory.
/// </summary>
internal static class AbsSyncBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var clock = BenchClock.System;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Corpus = SimulatorCorpus.National, Seed = 42, TimeProvider = clock });

        // Parse rate: the largest message the source could see, parsed whole, median of the timed iterations.
        using (var plain = new HttpClient { BaseAddress = simulator.BaseAddress })
        {
            var bytes = await plain.GetByteArrayAsync("rest/data/ABS,LF,1.0.0/all?format=jsondata");
            var series = 0;
            for (var i = 0; i < 3; i++)
            {
                series = SdmxJsonParser.Parse(bytes, "ABS,LF,1.0.0").Count;
            }

            var times = new List<double>();
            for (var i = 0; i < iterations; i++)
            {
                var start = clock.GetTimestamp();
                series = SdmxJsonParser.Parse(bytes, "ABS,LF,1.0.0").Count;
                times.Add(clock.GetElapsedTime(start).TotalSeconds);
            }

            times.Sort();
            var median = times[times.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SDMX-JSON parse (LF/all, {bytes.Length / 1e6:0.00} MB, {series} series): median {median * 1000:0.0} ms over {iterations} runs = {bytes.Length / 1e6 / median:0.0} MB/s (min {times[0] * 1000:0.0} ms, max {times[^1] * 1000:0.0} ms)"));
        }

        using var factory = new OutboundHttpClientFactory(clock, NullLoggerFactory.Instance);
#pragma warning disable CA2000 // The client owns the translation handler.
        using var http = FeedBench.Client(factory, "abs", simulator.BaseAddress, new JsaProxyTranslation());
#pragma warning restore CA2000
        var feed = new AbsFeed(new AbsDataClient(http), simulator.BaseAddress, UpstreamSettings.AbsSeries(_ => null), "1978");
        var worker = FeedBench.Worker(feed, azurite.ConnectionString, clock);
        foreach (var pass in new[] { "first", "again" })
        {
            var start = clock.GetTimestamp();
            var outcome = await worker.RunAsync(IngestTrigger.Manual);
            var seconds = clock.GetElapsedTime(start).TotalSeconds;
            if (outcome.Run.Status == IngestRunStatus.Failed)
            {
                await Console.Error.WriteLineAsync($"abs-sync failed: {outcome.Run.Error}");
                return 1;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"abs-sync {pass} ({outcome.Run.Status}): {seconds:0.00} s, {outcome.Run.Records} series; steps {string.Join(", ", outcome.Run.StepList.Select(s => $"{s.Name} {s.DurationMs:0} ms"))}"));
            await Task.Delay(TimeSpan.FromSeconds(1.1), clock); // run ids are per second
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB (national simulator world included); {Environment.ProcessorCount} cores"));
        return 0;
    }
}
