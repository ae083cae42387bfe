using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Benchmarks.Startup;
using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Outbound;
using Rtgf.Pipeline.Ingest;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;

namespace Rtgf.Benchmarks.Ingest;

/// <summary>
/// <c>osl-national [rounds]</c>: the Occupation Shortage List at national scale (the national world's occupations on both
/// sheets). Parse rate of the workbook in MB/s (median of <c>rounds</c> parses after a warm-up), then <c>osl-sync</c>
/// against the national simulator and an in-memory Azurite: a first run (page, download, parse, tables, snapshot) and
/// a second run that finds no change.
/// </summary>
internal static class OslNationalBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var clock = BenchClock.System;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Corpus = SimulatorCorpus.National, Seed = 42, TimeProvider = clock });
        using var factory = new OutboundHttpClientFactory(clock, NullLoggerFactory.Instance);
        using var http = FeedBench.Client(factory, "jsa", simulator.BaseAddress);
        var client = new JsaOslClient(http);

        var url = await client.FindListAsync();
        var xlsx = await http.GetByteArrayAsync(url);
        var occupations = 0;
        for (var i = 0; i < 3; i++)
        {
            occupations = OccupationShortageListParser.Parse(new MemoryStream(xlsx, writable: false)).Occupations.Count;
        }

        var times = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var start = clock.GetTimestamp();
            OccupationShortageListParser.Parse(new MemoryStream(xlsx, writable: false));
            times.Add(clock.GetElapsedTime(start).TotalSeconds);
        }

        times.Sort();
        var median = times[times.Count / 2];
        var megabytes = xlsx.Length / (1024.0 * 1024);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"osl parse: workbook {xlsx.Length} bytes, {occupations} records (2 sheets); median {median * 1000:0.0} ms (min {times[0] * 1000:0.0}, max {times[^1] * 1000:0.0}) over {rounds} rounds = {megabytes / median:0.00} MB/s, {occupations / median:0} records/s"));

        var worker = FeedBench.Worker(new OslFeed(client, UpstreamSettings.DefaultJsaOslPagePath), azurite.ConnectionString, clock);
        foreach (var label in new[] { "first", "unchanged" })
        {
            var start = clock.GetTimestamp();
            var outcome = await worker.RunAsync(IngestTrigger.Manual);
            var seconds = clock.GetElapsedTime(start).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"osl-sync ({label}): {outcome.Run.Status}, {seconds:0.00} s, {outcome.Run.Records} records; steps {string.Join(", ", outcome.Run.StepList.Select(s => $"{s.Name} {s.DurationMs / 1000.0:0.00} s"))}"));
            if (outcome.Run.Status == IngestRunStatus.Failed)
            {
                await Console.Error.WriteLineAsync(outcome.Run.Error);
                return 1;
            }

            // The second run starts a second later: run ids are the trigger time to the second.
            await Task.Delay(TimeSpan.FromSeconds(1.1), clock);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB (national simulator world included); {Environment.ProcessorCount} cores"));
        return 0;
    }
}
