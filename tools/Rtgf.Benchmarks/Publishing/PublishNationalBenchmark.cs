using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Rtgf.Benchmarks.Compiler;
using Rtgf.Benchmarks.Startup;
using Rtgf.Compiler;
using Rtgf.Core.Signing;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator.Admin;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Benchmarks.Publishing;

/// <summary>
/// <c>publish-national [seed]</c>: the whole chain with the real compiler over the simulator's national world, against
/// Azurite (in memory, loopback): the four snapshots stored, compile (policy matrix) and build store, QA (recompile and
/// byte comparison), publish (certify a key, sign, log, registry, status lists). Then the world changes as a month of
/// upstream churn would (1% of current RTOs cancelled, plus every scripted scenario) and the chain runs again; then the
/// second publish message is delivered again. Exits 1 when a stage fails or the second build revokes nothing.
/// </summary>
internal static class PublishNationalBenchmark
{
    private static readonly DateTimeOffset Clock = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var seed = args.Length > 0 ? ulong.Parse(args[0], CultureInfo.InvariantCulture) : 20261125UL;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        using var issuerKey = LocalDevelopmentSigner.Create();
        var clock = new SettableClock { Now = Clock.AddHours(1) };
        var chain = await BenchChain.CreateAsync(
            azurite.ConnectionString,
            new BenchIssuerSigner(issuerKey),
            new IssuerOptions { Issuer = "https://rtgf.example", PublicBaseUrl = "https://rtgf.example", LogOrigin = "rtgf.example/log" },
            new MatrixBuildCompiler(new TokenCompiler(PolicyMatrix.LoadDefault())),
            clock);
        var (snapshots, compilation, harness, stage) = (chain.Snapshots, chain.Compilation, chain.Harness, chain.Stage);

        var world = WorldGenerator.National(seed, Clock);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"publish-national (seed {seed}): {world.Rtos.Count:N0} RTOs, {world.Components.Count:N0} components, {world.Scope.Length:N0} scope rows; real compiler; Azurite in memory; {Environment.ProcessorCount} cores"));
        var first = await RunChainAsync("national build", NationalCorpus.Build(world, Clock));
        if (first is null)
        {
            return 1;
        }

        // A month of churn: 1% of current RTOs (every 100th) cancelled, then each scripted scenario once.
        var cancel = new JsonArray([.. world.Rtos.Where(r => r.Deleted is null && r.Status == RtoStatus.Current).Where((_, i) => i % 100 == 0)
            .Select(r => (JsonNode)new JsonObject { ["kind"] = "cancelRto", ["code"] = r.Code })]);
        ChangeApplier.Apply(world, cancel, 1);
        ChangeApplier.Apply(world, Scenarios.Changes(world, "monthly-churn"), 1);
        clock.Now = world.Clock.AddHours(1);
        var second = await RunChainAsync($"churn ({cancel.Count} RTOs cancelled + monthly-churn)", NationalCorpus.Build(world, world.Clock));
        if (second is null)
        {
            return 1;
        }

        var start = BenchClock.System.GetTimestamp();
        var again = await stage.PublishAsync(new PublishRequest(second.BuildId));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"re-delivered publish: {BenchClock.System.GetElapsedTime(start).TotalSeconds:N2} s, issued {again.Issued}, log size {again.TreeSize:N0} (unchanged: {again.TreeSize == second.TreeSize})"));
        using (var self = Process.GetCurrentProcess())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {self.PeakWorkingSet64 / 1048576.0:N0} MiB (this process: world, snapshots, compiles; Azurite is a separate process)"));
        }

        return second.Revoked > 0 && again.TreeSize == second.TreeSize ? 0 : 1;

        async Task<Rtgf.Pipeline.Registry.Publication?> RunChainAsync(string label, IReadOnlyList<Snapshot> corpus)
        {
            var t0 = BenchClock.System.GetTimestamp();
            foreach (var snapshot in corpus)
            {
                await snapshots.WriteAsync(snapshot);
            }

            var t1 = BenchClock.System.GetTimestamp();
            var tga = corpus.Single(s => s.Manifest.Source == "tga");
            var qa = await compilation.CompileAsync(new CompileRequest("tga", tga.Manifest.Digest, "bench"));
            var t2 = BenchClock.System.GetTimestamp();
            var publish = qa is null ? null : await harness.CheckAsync(qa);
            var t3 = BenchClock.System.GetTimestamp();
            if (publish is null)
            {
                Console.WriteLine($"{label}: {(qa is null ? "compile found a source without a snapshot" : "QA refused the build")}");
                return null;
            }

            var publication = await stage.PublishAsync(publish);
            var t4 = BenchClock.System.GetTimestamp();
            double S(long a, long b) => BenchClock.System.GetElapsedTime(a, b).TotalSeconds;
            var mib = corpus.Sum(s => (long)s.Records.Length) / 1048576.0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: store snapshots ({mib:N1} MiB) {S(t0, t1):N2} s, compile+store {S(t1, t2):N2} s, QA {S(t2, t3):N2} s, publish {S(t3, t4):N2} s " +
                $"({publication.Issued:N0} issued, {publication.Revoked:N0} revoked, {publication.Unchanged:N0} unchanged; {(publication.Issued > 0 ? publication.Issued / S(t3, t4) : 0):N0} issued tokens/s); " +
                $"total {S(t0, t4):N2} s, log size {publication.TreeSize:N0}, epoch {publication.RevocationEpoch}"));
            return publication;
        }
    }
}

/// <summary>The publisher's clock: an hour after the fetch of the build being published, whenever the benchmark runs.</summary>
internal sealed class SettableClock : TimeProvider
{
    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}
