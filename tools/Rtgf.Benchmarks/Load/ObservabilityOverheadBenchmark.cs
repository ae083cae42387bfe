using System.Globalization;
using System.Text;
using System.Text.Json;
using Rtgf.Benchmarks.Publishing;
using Rtgf.Benchmarks.Startup;
using Rtgf.FunctionsHost.Channel;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// <c>verify-observability [seconds] [connections]</c>: the per-request cost of tracing and traffic logging on
/// <c>POST /verify</c> (docs/spec/telemetry.md#overhead). Two workers over the same publication, one with both off
/// (<c>Telemetry:Enabled=false</c>, <c>Traffic:Enabled=false</c>), one with both on, loaded in alternating rounds (off, on,
/// off, on, …) so machine noise falls on both sides alike; medians of the rounds are compared. "On" creates and samples
/// every span (no exporter is configured: export is batched off the request path in Azure).
/// </summary>
internal static class ObservabilityOverheadBenchmark
{
    private const int Tokens = 100;
    private const int Rounds = 6;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!VerifyLoadBenchmark.TryParse(args, 0, 24, out var seconds) || !VerifyLoadBenchmark.TryParse(args, 1, 32, out var connections) || args.Length > 2)
        {
            await Console.Error.WriteLineAsync("verify-observability: usage: verify-observability [seconds > 0, default 24] [connections > 0, default 32]");
            return 2;
        }

        return await VerifyLoadBenchmark.InWorkDirectoryAsync("verify-observability", work => RunAsync(work, seconds, connections));
    }

    private static async Task<int> RunAsync(string work, int seconds, int connections)
    {
        var clock = BenchClock.System;
        await using var environment = await LoadEnvironment.StartAsync(work);
        var (root, azurite, options) = (environment.Root, environment.Azurite, environment.Options);
        var publication = await LoadPublisher.PublishAsync(azurite.ConnectionString, new BenchIssuerSigner(environment.IssuerKey), options, environment.FetchedAt, Tokens);
        var token = publication.Token;

        Dictionary<string, string> Settings(bool enabled) => new(StringComparer.Ordinal)
        {
            ["Telemetry__Enabled"] = enabled ? "true" : "false",
            ["Traffic__Enabled"] = enabled ? "true" : "false",
        };

        await using var offHost = await FunctionsHostServer.StartAsync();
        await using var off = await VerifyLoadBenchmark.StartWorkerAsync(offHost, root, azurite.ConnectionString, options, environment.KeyPath, Settings(enabled: false));
        await using var onHost = await FunctionsHostServer.StartAsync();
        await using var on = await VerifyLoadBenchmark.StartWorkerAsync(onHost, root, azurite.ConnectionString, options, environment.KeyPath, Settings(enabled: true));

        var verifyUri = new Uri("http://localhost/verify");
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>(StringComparer.Ordinal) { ["token"] = token.Jws });
        var samples = $"off: {await VerifyLoadBenchmark.SampleAsync(off.Http, verifyUri, body, token)}; on: {await VerifyLoadBenchmark.SampleAsync(on.Http, verifyUri, body, token)}";

        await HopLoad.RunAsync(off.Http, verifyUri, body, connections, WarmUp, clock);
        await HopLoad.RunAsync(on.Http, verifyUri, body, connections, WarmUp, clock);

        var segment = TimeSpan.FromSeconds((double)seconds / Rounds);
        var offRounds = new List<HopLoadResult>();
        var onRounds = new List<HopLoadResult>();
        for (var round = 0; round < Rounds; round++)
        {
            // Alternate which side goes first, so neither always follows the other's garbage collections.
            if (round % 2 == 0)
            {
                offRounds.Add(await HopLoad.RunAsync(off.Http, verifyUri, body, connections, segment / 2, clock));
                onRounds.Add(await HopLoad.RunAsync(on.Http, verifyUri, body, connections, segment / 2, clock));
            }
            else
            {
                onRounds.Add(await HopLoad.RunAsync(on.Http, verifyUri, body, connections, segment / 2, clock));
                offRounds.Add(await HopLoad.RunAsync(off.Http, verifyUri, body, connections, segment / 2, clock));
            }
        }

        if (off.HasExited || on.HasExited)
        {
            throw new InvalidOperationException("A worker exited during the load.");
        }

        var offRate = VerifyLoadBenchmark.Median([.. offRounds.Select(r => r.RequestsPerSecond).Order()]);
        var onRate = VerifyLoadBenchmark.Median([.. onRounds.Select(r => r.RequestsPerSecond).Order()]);
        var offAll = Combined(offRounds);
        var onAll = Combined(onRounds);
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture,
            $"verify-observability: {seconds} s in {Rounds} alternating rounds, {connections} concurrent requests (closed loop, after {WarmUp.TotalSeconds:0} s warm-up of each); {Environment.ProcessorCount} cores; load average at the end: {StartupBenchmark.LoadAverage()}");
        output.AppendLine("sample: " + samples);
        output.AppendLine("| `/verify` through the host | requests/s (median of rounds) | p50 | p90 | p99 | failed |");
        output.AppendLine("|---|---:|---:|---:|---:|---:|");
        output.AppendLine(CultureInfo.InvariantCulture, $"| tracing + traffic off | {offRate:N0} | {offAll.Percentile(50):0.00} ms | {offAll.Percentile(90):0.00} ms | {offAll.Percentile(99):0.00} ms | {offAll.Failures:N0} |");
        output.AppendLine(CultureInfo.InvariantCulture, $"| tracing + traffic on | {onRate:N0} | {onAll.Percentile(50):0.00} ms | {onAll.Percentile(90):0.00} ms | {onAll.Percentile(99):0.00} ms | {onAll.Failures:N0} |");
        output.AppendLine(CultureInfo.InvariantCulture,
            $"overhead: throughput on/off {onRate / offRate:P1} (cost {1 - (onRate / offRate):P1}); p50 on/off {onAll.Percentile(50) / offAll.Percentile(50):0.00}×; rounds off/on: {string.Join("; ", offRounds.Zip(onRounds, (a, b) => string.Create(CultureInfo.InvariantCulture, $"{a.RequestsPerSecond:N0}/{b.RequestsPerSecond:N0}")))}");
        Console.Write(output);
        return offAll.Failures + onAll.Failures == 0 ? 0 : 1;
    }

    private static HopLoadResult Combined(List<HopLoadResult> rounds) =>
        new(rounds.Sum(r => r.Requests), rounds.Sum(r => r.Failures), TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)),
            [.. rounds.SelectMany(r => r.LatenciesMs).Order()], rounds.Select(r => r.FirstFailure).FirstOrDefault(f => f is not null));
}
