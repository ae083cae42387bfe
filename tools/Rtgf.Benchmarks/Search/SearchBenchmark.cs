using System.Diagnostics;
using System.Globalization;
using Rtgf.Benchmarks.Startup;
using Rtgf.Benchmarks.Trust;
using Rtgf.Register.Search;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Benchmarks.Search;

/// <summary>
/// `search [rounds] [seed]`: the register's search index (Lucene.Net in process, ADR 0019) over the simulator's national
/// world: build time and memory, then per-query latency (p50/p99) over a fixed mix of exact codes, ABNs, title words,
/// typos, prefixes, filters and browses, and the rate with two threads. Exits 1 if a build takes 10 s or more, the
/// process working set reaches 600 MiB, or the p99 of the mix is 5 ms or more.
/// </summary>
internal static class SearchBenchmark
{
    private const int Builds = 3;
    private const int PageSize = 20;
    private static readonly DateTimeOffset Clock = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] States = ["NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT"];
    private static readonly string[] ComponentTypes = ["Unit", "Qualification", "SkillSet"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var seed = args.Length > 1 ? ulong.Parse(args[1], CultureInfo.InvariantCulture) : 20261125UL;
        var clock = BenchClock.System;

        var setupStart = clock.GetTimestamp();
        var documents = Documents(WorldGenerator.National(seed, Clock));
        var mix = Mix(documents);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"national world (seed {seed}): {documents.Count(d => d.Kind == "rto"):N0} RTOs, {documents.Count(d => d.Kind == "component"):N0} components; {mix.Count} queries in the mix; generated in {clock.GetElapsedTime(setupStart).TotalSeconds:F1} s (not timed)"));

        ICatalogueSearch? index = null;
        var worstBuild = 0.0;
        for (var build = 1; build <= Builds; build++)
        {
            index?.Dispose();
            index = null;
            Collect();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var start = clock.GetTimestamp();
            index = LuceneCatalogueSearch.Build(documents);
            var seconds = clock.GetElapsedTime(start).TotalSeconds;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var heapDelta = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            using var process = Process.GetCurrentProcess();
            worstBuild = Math.Max(worstBuild, seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"build {build}{(build == 1 ? " (cold: JIT)" : string.Empty)}: {seconds:F2} s ({documents.Count / seconds:N0} documents/s), allocated {allocated / 1048576.0:N0} MiB, managed heap with the index live +{heapDelta / 1048576.0:N1} MiB, working set {process.WorkingSet64 / 1048576.0:N0} MiB"));
        }

        // Warm-up: every query once (JIT, the term dictionary's first touch).
        foreach (var (_, query) in mix)
        {
            await index!.SearchAsync(query, 0, PageSize);
        }

        var latencies = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        // Per search, next to the wall clock: the thread's CPU time (what the search itself cost, a collection it
        // triggered included, whatever the scheduler did) and the bytes it allocated (what drives the collections).
        var cpuTimes = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var allocations = new Dictionary<string, long>(StringComparer.Ordinal);
        var collections = GC.CollectionCount(0);
        var hits = 0L;
        // CPU time too: on a shared machine wall-clock tails measure the scheduler as much as the search.
        var cpuBefore = CpuTime();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (category, query) in mix)
            {
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                var threadCpu = ThreadCpuClock.Now();
                var start = clock.GetTimestamp();
                var results = await index!.SearchAsync(query, 0, PageSize); // completes synchronously: same thread
                var ms = clock.GetElapsedTime(start).TotalMilliseconds;
                var cpuMs = (ThreadCpuClock.Now() - threadCpu).TotalMilliseconds;
                allocations[category] = allocations.GetValueOrDefault(category) + GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                hits += results.Hits.Count;
                (latencies.TryGetValue(category, out var list) ? list : latencies[category] = []).Add(ms);
                (cpuTimes.TryGetValue(category, out var cpuList) ? cpuList : cpuTimes[category] = []).Add(cpuMs);
            }
        }

        var cpu = CpuTime() - cpuBefore;
        collections = GC.CollectionCount(0) - collections;
        var all = latencies.Values.SelectMany(l => l).ToList();
        var allCpu = cpuTimes.Values.SelectMany(l => l).ToList();
        Console.WriteLine("| query kind | queries | wall p50 | wall p99 | wall max | thread CPU p50 | thread CPU p99 | allocated a search |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (category, list) in latencies.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {category} | {list.Count / rounds} | {Percentile(list, 0.50):F3} ms | {Percentile(list, 0.99):F3} ms | {list.Max():F2} ms | {Percentile(cpuTimes[category], 0.50):F3} ms | {Percentile(cpuTimes[category], 0.99):F3} ms | {allocations[category] / list.Count / 1024.0:N1} KiB |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mix thread CPU: p50 {Percentile(allCpu, 0.50):F3} ms, p99 {Percentile(allCpu, 0.99):F3} ms; allocated {allocations.Values.Sum() / (double)all.Count / 1024.0:N1} KiB a search; {collections} gen-0 collections over the {all.Count:N0} searches"));

        var p50 = Percentile(all, 0.50);
        var p99 = Percentile(all, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mix ({all.Count:N0} searches, one thread, page of {PageSize}): p50 {p50:F3} ms, p90 {Percentile(all, 0.90):F3} ms, p99 {p99:F3} ms, max {all.Max():F2} ms; {hits / (double)all.Count:F1} hits a page; process CPU {cpu.TotalMilliseconds / all.Count:F3} ms a search"));

        var parallelStart = clock.GetTimestamp();
        var searches = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, rounds * mix.Count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
        {
            await index!.SearchAsync(mix[i % mix.Count].Query, 0, PageSize, ct);
            Interlocked.Increment(ref searches);
        });
        var parallelSeconds = clock.GetElapsedTime(parallelStart).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"two threads: {searches / parallelSeconds:N0} searches/s"));

        index!.Dispose();
        using var self = Process.GetCurrentProcess();
        var peak = self.PeakWorkingSet64;
        var pass = worstBuild < 10 && peak < 600L * 1024 * 1024 && p99 < 5;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bars: slowest build {worstBuild:F2} s (< 10 s), process peak working set {peak / 1048576.0:N0} MiB (< 600 MiB, includes the world and the documents), mix p99 {p99:F3} ms (< 5 ms): {(pass ? "met" : "NOT MET")}"));
        return pass ? 0 : 1;
    }

    /// <summary>The documents a register over this world would index: what is not deleted, states and types from current scope.</summary>
    internal static IReadOnlyList<SearchDocument> Documents(SimulatedWorld world)
    {
        var componentStates = new SortedSet<string>?[world.Components.Count];
        var rtoTypes = new SortedSet<string>?[world.Rtos.Count];
        foreach (var row in world.Scope)
        {
            if (row.End is null)
            {
                (componentStates[row.Component] ??= new SortedSet<string>(StringComparer.Ordinal)).Add(world.Rtos[row.Rto].Address.State);
                (rtoTypes[row.Rto] ??= new SortedSet<string>(StringComparer.Ordinal)).Add(world.Components[row.Component].Kind.ToString());
            }
        }

        var documents = new List<SearchDocument>(world.Rtos.Count + world.Components.Count);
        for (var i = 0; i < world.Rtos.Count; i++)
        {
            var rto = world.Rtos[i];
            if (rto.Deleted is null)
            {
                documents.Add(new SearchDocument("rto", rto.Code, rto.LegalName, [rto.LegalName, rto.TradingName], rto.Abn, rto.Status.ToString(),
                    [.. rtoTypes[i] ?? []], [rto.Address.State], rto.RegistrationManager));
            }
        }

        for (var i = 0; i < world.Components.Count; i++)
        {
            var component = world.Components[i];
            if (component.Deleted is null)
            {
                documents.Add(new SearchDocument("component", component.Code, component.Title, [], null, component.Usage.ToString(),
                    [component.Kind.ToString()], [.. componentStates[i] ?? []], null));
            }
        }

        return documents;
    }

    /// <summary>A fixed mix drawn from the documents at even strides (the same for the same seed).</summary>
    private static List<(string Category, SearchQuery Query)> Mix(IReadOnlyList<SearchDocument> documents)
    {
        var components = documents.Where(d => d.Kind == "component").ToList();
        var rtos = documents.Where(d => d.Kind == "rto").ToList();
        static IEnumerable<T> Every<T>(IReadOnlyList<T> list, int count) => Enumerable.Range(0, count).Select(i => list[(int)((long)i * list.Count / count)]);
        static string[] Words(string title) => [.. title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 4 && char.IsLetter(w[0]))];

        var mix = new List<(string, SearchQuery)>();
        mix.AddRange(Every(components, 100).Select(c => ("code", new SearchQuery(c.Code.ToLowerInvariant()))));
        mix.AddRange(Every(rtos, 25).Select(r => ("code", new SearchQuery(r.Code))));
        mix.AddRange(Every(rtos, 25).Select(r => ("abn", new SearchQuery(string.Join(' ', r.Abn![..2], r.Abn[2..5], r.Abn[5..8], r.Abn[8..])))));
        mix.AddRange(Every(components, 100).Select(c => Words(c.Title)).Where(w => w.Length >= 2).Select(w => ("words", new SearchQuery(w[0] + " " + w[^1]))));
        mix.AddRange(Every(rtos, 50).Select(r => ("words", new SearchQuery(r.Names[1]))));
        mix.AddRange(Every(components, 100).Select(c => Words(c.Title)).Where(w => w.Length >= 1).Select(w => ("typo", new SearchQuery(Typo(w[^1]) + " " + (w.Length > 1 ? w[0] : string.Empty)))));
        mix.AddRange(Every(components, 50).Select(c => Words(c.Title)).Where(w => w.Length >= 1).Select(w => ("prefix", new SearchQuery(w[0][..4]))));
        var states = States;
        mix.AddRange(Every(components, 50).Select((c, i) => Words(c.Title) is { Length: > 0 } w
            ? ("filtered", new SearchQuery(w[0], Kind: "component", Status: "Current", State: states[i % states.Length]))
            : ("filtered", new SearchQuery(string.Empty, State: states[i % states.Length]))));
        mix.AddRange(states.Select(s => ("browse", new SearchQuery(string.Empty, Kind: "rto", State: s))));
        mix.AddRange(ComponentTypes.Select(t => ("browse", new SearchQuery(string.Empty, Kind: "component", ComponentType: t))));
        return mix;
    }

    /// <summary>Two neighbouring letters swapped in the middle of the word (one edit with transpositions).</summary>
    private static string Typo(string word)
    {
        var chars = word.ToCharArray();
        var i = chars.Length / 2;
        (chars[i - 1], chars[i]) = (chars[i], chars[i - 1]);
        return new string(chars);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static TimeSpan CpuTime()
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
