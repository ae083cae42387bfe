using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Benchmarks.Hosting;
using Rtgf.Benchmarks.Startup;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.EndToEnd;

/// <summary>
/// <c>national-e2e</c>: the local runner (Release build, this checkout) with <c>--corpus national</c> on empty in-memory
/// storage and free ports, driven only through its process and HTTP. (1) Start to the first publication: the four
/// syncs are fired when the runner is ready, as their timers would fire, then <c>GET /catalog</c> is polled until it
/// names a publication. (2) One scripted upstream change (the simulator's <c>rto-cancelled</c>) to a <c>revoked</c>
/// verdict from <c>POST /verify</c> for that RTO's registration token. Prints where the time went, per phase, from
/// the runner's events.
/// </summary>
internal static class NationalEndToEndBenchmark
{
    private static readonly TimeSpan FirstPublicationGoal = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RevocationGoal = TimeSpan.FromSeconds(60);

    // Limits for a wait that is broken rather than slow (several times the goals).
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FirstPublicationLimit = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan RevocationLimit = TimeSpan.FromMinutes(10);

    private static readonly string[] Syncs = ["tga-sync", "cricos-sync", "teqsa-sync", "sanctions-sync"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0)
        {
            await Console.Error.WriteLineAsync($"error: national-e2e takes no arguments (got '{string.Join(' ', args)}').");
            return 1;
        }

        try
        {
            await RunCoreAsync();
            return 0;
        }
        catch (Exception e) when (e is BenchFailure or HttpRequestException or TaskCanceledException or IOException or InvalidOperationException)
        {
            // Not a speed result: the runner could not be started or reached, or a wait gave up.
            await Console.Error.WriteLineAsync("error: national-e2e: " + e.Message.Split('\n')[0]);
            return 1;
        }
    }

    private static async Task RunCoreAsync()
    {
        var clock = BenchClock.System;
        var root = RepositoryLayout.FindRoot();

        // Built with this bench (ProjectReferences): the runner, and the app's build output, which the runner's worker runs.
        var runnerDll = Path.Combine(BenchWorker.Built(root, "Rtgf.LocalRunner", "rtgf-local.dll"), "rtgf-local.dll");
        var appDirectory = BenchWorker.AppDirectory(root);
        var output = Directory.CreateDirectory(Path.Combine(root, "artifacts", "bench", "national-e2e")).FullName;
        var work = Directory.CreateTempSubdirectory("rtgf-national-e2e-");
        try
        {
            var settings = Path.Combine(work.FullName, "local.settings.json");
            await File.WriteAllTextAsync(settings, SettingsJson(root));
            var eventLog = Path.Combine(output, "runner-events.jsonl");
            var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);

            Console.WriteLine($"national-e2e: local runner (Release) --corpus national --in-memory, port {port}; runner events in {eventLog}");
            var start = clock.GetUtcNow();
            await using var runner = RunnerUnderTest.Start(
                runnerDll,
                ["--app", appDirectory, "--settings", settings, "--port", port, "--in-memory", "--any-storage-ports", "--corpus", "national", "--output", "json"],
                work.FullName,
                eventLog,
                clock);

            var first = await FirstPublicationAsync(runner, start, clock);
            var revocation = await RevocationAsync(runner, clock);
            Report(first, revocation);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<Measurement> FirstPublicationAsync(RunnerUnderTest runner, DateTimeOffset start, TimeProvider clock)
    {
        var ready = await runner.WaitUntilReadyAsync(ReadyLimit);
        var cpuAtReady = runner.CpuTime();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready after {(ready.Time - start).TotalSeconds:0.0} s; firing {string.Join(", ", Syncs)}"));
        var fired = clock.GetUtcNow();
        foreach (var sync in Syncs)
        {
            await runner.TriggerAsync(sync);
        }

        var catalog = await runner.PollAsync(
            async () => (await runner.GetJsonAsync("catalog"))["latestPublication"] as JsonObject,
            FirstPublicationLimit,
            "the first publication (GET /catalog latestPublication)",
            TimeSpan.FromSeconds(2));
        var seen = clock.GetUtcNow();
        var cpu = Difference(runner.CpuTime(), cpuAtReady);

        var timeline = new PipelineTimeline(runner.EventsSince(0), start);
        timeline.Mark("runner ready (Azurite, national world, worker)", ready.Time);
        timeline.Mark("syncs fired (admin API)", fired);
        timeline.Syncs(Syncs);
        timeline.Ingest();
        timeline.CompileQaPublish();
        timeline.Mark("visible at GET /catalog (polled every 2 s)", seen, $"{catalog["issued"]} issued, log size {catalog["treeSize"]}");
        return new Measurement("start → first publication", seen - start, FirstPublicationGoal, timeline, cpu, "from ready to the publication", seen - ready.Time);
    }

    private static async Task<Measurement> RevocationAsync(RunnerUnderTest runner, TimeProvider clock)
    {
        var mark = runner.EventCount;
        var cpuBefore = runner.CpuTime();
        var changed = clock.GetUtcNow();
        var applied = await runner.PostSimulatorAsync("_sim/scenarios/rto-cancelled");
        var code = (string?)applied["applied"]?[0]?["code"] ?? throw new BenchFailure("the simulator's rto-cancelled scenario named no RTO: " + applied.ToJsonString());
        var subject = "rto:" + code;
        var latest = await runner.GetJsonAsync($"tokens?subject={Uri.EscapeDataString(subject)}&family=rto-registration");
        var tokenId = (string?)latest["tokens"]?.AsArray().FirstOrDefault()?["tokenId"] ?? throw new BenchFailure($"no rto-registration token for {subject}: {latest.ToJsonString()}");
        var jws = (string?)(await runner.GetJsonAsync("tokens/" + tokenId))["jws"] ?? throw new BenchFailure($"GET /tokens/{tokenId} has no jws");
        var before = await VerifyAsync(runner, jws);
        if (before["valid"]?.GetValue<bool>() != true)
        {
            throw new BenchFailure($"{subject}'s token does not verify before the change: {before.ToJsonString()}");
        }

        // The TGA sync's window ends at the server's time (exclusive); upstream time passes before a real sync, so here too.
        await runner.PostSimulatorAsync("_sim/clock", new JsonObject { ["advanceSeconds"] = 60 });
        var fired = clock.GetUtcNow();
        await runner.TriggerAsync("tga-sync");
        var verdict = await runner.PollAsync(
            async () =>
            {
                var v = await VerifyAsync(runner, jws);
                return v["reasons"] is JsonArray reasons && reasons.Any(r => (string?)r?["code"] == "revoked") ? v : null;
            },
            RevocationLimit,
            $"a revoked verdict for {subject}'s registration token",
            TimeSpan.FromMilliseconds(500));
        var revoked = clock.GetUtcNow();
        var cpu = Difference(runner.CpuTime(), cpuBefore);

        var timeline = new PipelineTimeline(runner.EventsSince(mark), changed);
        timeline.Mark("change applied, token looked up, clock +60 s", fired, $"{subject} cancelled; token {tokenId[..Math.Min(15, tokenId.Length)]}…");
        timeline.Syncs(["tga-sync"]);
        timeline.Ingest();
        timeline.CompileQaPublish();
        timeline.Mark("revoked at POST /verify (polled every 0.5 s)", revoked, (string?)verdict["revocation"]?["reason"] ?? string.Empty);
        return new Measurement("upstream change → revoked verdict", revoked - changed, RevocationGoal, timeline, cpu, "from the change to the verdict", revoked - changed);
    }

    private static Task<JsonObject> VerifyAsync(RunnerUnderTest runner, string jws) => runner.PostJsonAsync("verify", new JsonObject { ["token"] = jws });

    private static void Report(Measurement first, Measurement revocation)
    {
        foreach (var m in new[] { first, revocation })
        {
            Console.WriteLine();
            Console.WriteLine($"{m.Name}:");
            Console.WriteLine("| phase | ends at (s) | phase (s) | function time (s) | notes |");
            Console.WriteLine("|---|---:|---:|---:|---|");
            var origin = m.Timeline.Phases.Count > 0 ? m.Timeline.Phases[0].End - m.Timeline.Phases[0].Wall : null;
            foreach (var p in m.Timeline.Phases)
            {
                Console.WriteLine($"| {p.Name} | {Seconds(p.End - origin)} | {Seconds(p.Wall)} | {Seconds(p.Busy)} | {p.Note} |");
            }

            var cores = Environment.ProcessorCount;
            var busiest = string.Join(", ", m.Cpu.OrderByDescending(c => c.Value).Select(c => string.Create(
                CultureInfo.InvariantCulture, $"{c.Key} {c.Value.TotalSeconds:0.0} s ({c.Value / m.CpuWindow:0%} of one core)")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU {m.CpuLabel} ({m.CpuWindow.TotalSeconds:0.0} s, {cores} cores): {busiest}"));
        }

        Console.WriteLine();
        Console.WriteLine("| measurement | seconds | goal | |");
        Console.WriteLine("|---|---:|---:|---|");
        foreach (var m in new[] { first, revocation })
        {
            var verdict = m.Elapsed < m.Goal
                ? "met"
                : string.Create(CultureInfo.InvariantCulture, $"missed by {(m.Elapsed - m.Goal).TotalSeconds:0.0} s ({m.Elapsed / m.Goal:0.00}× the goal)");
            Console.WriteLine($"| {m.Name} | **{Seconds(m.Elapsed)}** | < {Seconds(m.Goal)} | {verdict} |");
        }
    }

    private static string Seconds(TimeSpan? span) => span is { } s ? s.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    // The repository's sample settings (what a developer runs) with the sync schedules parked: the bench fires them itself.
    private static string SettingsJson(string root)
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")))!.AsObject();
        var values = sample["Values"]!.AsObject();
        foreach (var name in values.Select(v => v.Key).Where(k => k.EndsWith("_SCHEDULE", StringComparison.Ordinal)).ToList())
        {
            values[name] = "0 0 0 1 1 *"; // midnight on 1 January: never during a run
        }

        return sample.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    // CPU used in [before, after]: processes present at both samples.
    private static Dictionary<string, TimeSpan> Difference(IReadOnlyDictionary<string, TimeSpan> after, IReadOnlyDictionary<string, TimeSpan> before) =>
        after.Where(a => before.ContainsKey(a.Key)).ToDictionary(a => a.Key, a => a.Value - before[a.Key], StringComparer.Ordinal);

    /// <summary>A headline figure against its goal, its phases, and the CPU each process used over <see cref="CpuWindow"/>.</summary>
    private sealed record Measurement(string Name, TimeSpan Elapsed, TimeSpan Goal, PipelineTimeline Timeline, IReadOnlyDictionary<string, TimeSpan> Cpu, string CpuLabel, TimeSpan CpuWindow);
}
