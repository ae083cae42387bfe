using System.Diagnostics;
using System.Globalization;
using Rtgf.Benchmarks.Compiler;
using Rtgf.Benchmarks.Startup;
using Rtgf.Compiler;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Register;
using Rtgf.Register.Search;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Benchmarks.Search;

/// <summary>
/// `register-national [rounds] [seed]`: a whole generation of the register (records, search index, stats) built by the
/// real <see cref="RegisterLoader"/> from the national world's four snapshots in memory (no tokens linked: the registry
/// is empty, so the cost of reading scope-part tokens is not in it): build time, managed heap and working set; then the
/// in-process cost of <c>/v1/rtos</c>-style filters and pages. Exits 1 if a build takes 10 s or more or the process
/// working set reaches 600 MiB.
/// </summary>
internal static class RegisterNationalBenchmark
{
    private const int Builds = 3;
    private const int PageSize = 50;
    private static readonly DateTimeOffset Clock = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var seed = args.Length > 1 ? ulong.Parse(args[1], CultureInfo.InvariantCulture) : 20261125UL;
        var clock = BenchClock.System;

        var (snapshots, componentCodes) = Corpus(seed); // the register does not hold the world: it is gone before the builds
        var buildId = "sha256:" + new string('a', 64);
        var stores = new MemoryBuildStores(snapshots, new StoredBuild(buildId, ReadOnlyMemory<byte>.Empty, [.. snapshots.Select(s => new BuildInput(s.Manifest.Source, s.Manifest.Digest, s.Manifest.RecordCount))]));
        var loader = new RegisterLoader(stores, stores, stores, "https://rtgf.bench", documents => LuceneCatalogueSearch.Build(documents));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"register-national (seed {seed}): snapshots {string.Join(", ", snapshots.Select(s => $"{s.Manifest.Source} {s.Manifest.RecordCount:N0} records"))} ({snapshots.Sum(s => (long)s.Records.Length) / 1048576.0:N0} MiB of JSON lines, kept in memory as the snapshot store's stand-in)"));

        var worstBuild = 0.0;
        for (var build = 1; build < Builds; build++)
        {
            worstBuild = Math.Max(worstBuild, await BuildAsync(loader, buildId, build));
        }

        // The last build stays: the operations below run on it.
        Collect();
        var keptStart = clock.GetTimestamp();
        var v = await LoadAsync(loader, buildId);
        var keptSeconds = clock.GetElapsedTime(keptStart).TotalSeconds;
        worstBuild = Math.Max(worstBuild, keptSeconds);
        Collect();
        long keptWorkingSet;
        using (var process = Process.GetCurrentProcess())
        {
            keptWorkingSet = process.WorkingSet64;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"build {Builds} (kept): {keptSeconds:F2} s; working set after a full collection, with one generation and the snapshots' bytes live: {keptWorkingSet / 1048576.0:N0} MiB; managed heap {GC.GetTotalMemory(false) / 1048576.0:N0} MiB"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generation: {v.Rtos.Count:N0} RTOs, {v.Components.Count:N0} components, {v.Stats.Rtos.ScopeRows:N0} scope rows ({v.Stats.Rtos.CurrentScopeRows:N0} current), {v.Stats.Cricos.Courses:N0} CRICOS courses, {v.Stats.Teqsa.Providers:N0} TEQSA providers"));

        // /v1/rtos-style operations: the filter (a list of summaries, as the endpoint computes it per request) and a page of 50 from it.
        var biggest = v.Rtos.MaxBy(r => r.ScopeCount)!.Code;
        var component = componentCodes[componentCodes.Length / 2];
        var states = new[] { "NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT" };
        var operations = new (string Name, Func<int, int> Run)[]
        {
            ("all RTOs, a page from the middle", _ => v.Page(v.FindRtos(), v.Rtos.Count / 2, PageSize, "f").Items.Count),
            ("status=Current, first page", _ => v.Page(v.FindRtos(status: "current"), 0, PageSize, "f").Items.Count),
            ("state (cycling), last page", i => { var all = v.FindRtos(state: states[i % states.Length]); return v.Page(all, Math.Max(0, all.Count - PageSize), PageSize, "f").Items.Count; }),
            ("status + state + manager", i => v.Page(v.FindRtos("current", states[i % states.Length], "asqa"), 0, PageSize, "f").Items.Count),
            ("component (cycling), first page", i => v.Page(v.FindRtos(component: componentCodes[(i * 7919) % componentCodes.Length]), 0, PageSize, "f").Items.Count),
            ("providers of a component in a state", i => v.Page(v.FindProviders(componentCodes[(i * 7919) % componentCodes.Length], states[i % states.Length]), 0, PageSize, "f").Items.Count),
            ($"biggest scope ({v.Stats.Rtos.ScopeRows / Math.Max(1, v.Rtos.Count)} rows on average; {biggest}), current, page of 500", _ => v.Page(v.FindScope(biggest, true)!, 0, 500, "f").Items.Count),
            ("components, type=Unit, a page from the middle", _ => { var all = v.FindComponents(type: "unit"); return v.Page(all, all.Count / 2, PageSize, "f").Items.Count; }),
        };

        Console.WriteLine("| in process, one thread | p50 | p99 | items on the page |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, run) in operations)
        {
            for (var i = 0; i < 20; i++)
            {
                run(i);
            }

            var samples = new double[rounds];
            var items = 0;
            for (var i = 0; i < rounds; i++)
            {
                var start = clock.GetTimestamp();
                items = run(i);
                samples[i] = clock.GetElapsedTime(start).TotalMilliseconds;
            }

            Array.Sort(samples);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {samples[(rounds - 1) / 2]:F3} ms | {samples[Math.Min(rounds - 1, (int)Math.Ceiling(rounds * 0.99) - 1)]:F3} ms | {items} |"));
        }

        using var self = Process.GetCurrentProcess();
        var peak = self.PeakWorkingSet64;
        var pass = worstBuild < 10 && keptWorkingSet < 600L * 1024 * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bars: slowest build {worstBuild:F2} s (< 10 s), working set with one generation live {keptWorkingSet / 1048576.0:N0} MiB (< 600 MiB; includes the snapshots' bytes): {(pass ? "met" : "NOT MET")}; " +
            $"process peak working set {peak / 1048576.0:N0} MiB (the world before the builds, and what a build allocates before the collector runs)"));
        GC.KeepAlive(snapshots);
        v.Search.Dispose();
        return pass ? 0 : 1;
    }

    /// <summary>One build timed; the generation's retained size is the heap with it live minus the heap once it is dropped.</summary>
    private static Task<double> BuildAsync(RegisterLoader loader, string buildId, int build)
    {
        var (seconds, heapWith, workingSet, cost) = BuildAndDrop(loader, buildId);
        Collect();
        var retained = heapWith - GC.GetTotalMemory(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"build {build}{(build == 1 ? " (cold: JIT)" : string.Empty)}: {seconds:F2} s; {cost}; the generation (records + index + stats) retains {retained / 1048576.0:N0} MiB of managed heap; process working set with it live {workingSet / 1048576.0:N0} MiB"));
        return Task.FromResult(seconds);
    }

    // Not inlined and not async, so that no frame or state machine of the caller keeps the generation reachable.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (double Seconds, long HeapWith, long WorkingSet, string Cost) BuildAndDrop(RegisterLoader loader, string buildId)
    {
        Collect();
        var clock = BenchClock.System;
        // Besides the wall clock, what a busy machine changes little: the process's CPU time, the bytes allocated and the
        // collections they caused (process-wide: the load may continue on pool threads, and nothing else runs meanwhile).
        var (allocated, cpu, gen0, gen1, gen2) = (GC.GetTotalAllocatedBytes(precise: true), ProcessCpu(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var start = clock.GetTimestamp();
        var view = LoadAsync(loader, buildId).GetAwaiter().GetResult(); // completes synchronously: the stores are in memory
        var seconds = clock.GetElapsedTime(start).TotalSeconds;
        var cost = string.Create(CultureInfo.InvariantCulture,
            $"process CPU {(ProcessCpu() - cpu).TotalSeconds:F2} s, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0:N0} MiB, collections gen0/1/2 {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}");
        Collect();
        var heapWith = GC.GetTotalMemory(false);
        using var process = Process.GetCurrentProcess();
        var workingSet = process.WorkingSet64;
        view.Search.Dispose(); // nothing else holds this generation
        return (seconds, heapWith, workingSet, cost);
    }

    private static async Task<RegisterView> LoadAsync(RegisterLoader loader, string buildId) =>
        await loader.LoadAsync(new Publication(buildId, DateTimeOffset.UnixEpoch, 0, 0, 0, 0, 0)) ?? throw new InvalidOperationException("The build was not found.");

    private static (IReadOnlyList<Snapshot> Snapshots, string[] ComponentCodes) Corpus(ulong seed)
    {
        var world = WorldGenerator.National(seed, Clock);
        return (NationalCorpus.Build(world, Clock), [.. world.Components.Where(c => c.Deleted is null).Select(c => c.Code).Order(StringComparer.Ordinal)]);
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
