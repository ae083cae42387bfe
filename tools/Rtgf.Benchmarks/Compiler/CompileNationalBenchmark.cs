using System.Diagnostics;
using System.Globalization;
using Rtgf.Benchmarks.Startup;
using Rtgf.Compiler;

namespace Rtgf.Benchmarks.Compiler;

/// <summary>
/// `compile-national [runs] [seed]`: builds the national corpus from a seed (not timed), then times
/// <see cref="TokenCompiler.Compile"/> (parse + compile + canonicalise + hash; the compiler writes canonical payloads
/// and hashes them as it goes) over several runs. Reports seconds, tokens/s, bytes allocated, peak working set, and
/// whether every run's manifest was byte-identical. Exits 1 if not identical, or a run took 20 s or more, or the
/// process peaked at 2 GiB or more.
/// </summary>
internal static class CompileNationalBenchmark
{
    private const string Issuer = "https://registry.rtgf.example";
    private static readonly DateTimeOffset Clock = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    public static int Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seed = args.Length > 1 ? ulong.Parse(args[1], CultureInfo.InvariantCulture) : 20261125UL;
        var clock = BenchClock.System;

        var setupStart = clock.GetTimestamp();
        var snapshots = NationalCorpus.Build(seed, Clock);
        var setup = clock.GetElapsedTime(setupStart);
        var bytes = snapshots.Sum(s => (long)s.Records.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"corpus (seed {seed}): {string.Join(", ", snapshots.Select(s => $"{s.Manifest.Source} {s.Manifest.RecordCount:N0} records"))}; {bytes / 1048576.0:F1} MiB of records; built in {setup.TotalSeconds:F1} s (not timed)"));

        using (var before = Process.GetCurrentProcess())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set after building the corpus: {before.PeakWorkingSet64 / 1048576.0:N0} MiB"));
        }

        var matrix = PolicyMatrix.LoadDefault();
        var compiler = new TokenCompiler(matrix);
        byte[]? firstManifest = null;
        var identical = true;
        var worst = 0.0;
        for (var run = 1; run <= runs; run++)
        {
            var (elapsed, manifest) = TimedRun(compiler, snapshots, run, clock);
            firstManifest ??= manifest;
            identical &= firstManifest.AsSpan().SequenceEqual(manifest);
            worst = Math.Max(worst, elapsed);
        }

        using var self = Process.GetCurrentProcess();
        var peak = self.PeakWorkingSet64;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"manifests byte-identical across {runs} runs: {(identical ? "yes" : "NO")}; slowest run {worst:F2} s (bar < 20 s); process peak working set {peak / 1048576.0:N0} MiB (bar < 2048 MiB, includes the corpus held in memory)"));
        return identical && worst < 20 && peak < 2L * 1024 * 1024 * 1024 ? 0 : 1;
    }

    // Its own frame, so nothing of one run's result stays reachable from the loop while the next run is measured.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (double Seconds, byte[] Manifest) TimedRun(TokenCompiler compiler, IReadOnlyList<global::Rtgf.Ingestion.Snapshots.Snapshot> snapshots, int run, TimeProvider clock)
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var start = clock.GetTimestamp();
        var result = compiler.Compile(snapshots, Issuer);
        var elapsed = clock.GetElapsedTime(start).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var payloadBytes = result.Tokens.Sum(t => (long)t.PayloadJson.Length);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run}: {elapsed:F2} s, {result.Tokens.Count:N0} tokens ({result.Tokens.Count / elapsed:N0}/s), payloads {payloadBytes / 1048576.0:F1} MiB, allocated {allocated / 1048576.0:N0} MiB, managed heap with the result live {GC.GetTotalMemory(false) / 1048576.0:N0} MiB, peak working set so far {process.PeakWorkingSet64 / 1048576.0:N0} MiB, build {result.BuildId}"));
        if (run == 1)
        {
            foreach (var family in result.Tokens.GroupBy(t => t.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {family.Key}: {family.Count():N0} tokens, mean payload {family.Average(t => t.PayloadJson.Length):N0} B, max {family.Max(t => t.PayloadJson.Length):N0} B"));
            }
        }

        return (elapsed, result.ManifestJson.ToArray());
    }
}
