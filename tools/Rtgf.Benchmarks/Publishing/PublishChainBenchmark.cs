using System.Globalization;
using System.Text;
using Rtgf.Benchmarks.Startup;
using Rtgf.Core.Signing;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Messages;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Publishing;

/// <summary>
/// `publish-chain [tokens]`: the whole chain against Azurite (in memory, loopback) for N tokens: snapshot write, compile
/// (stand-in compiler) and build store, QA recompile + byte comparison, publish (certify a key, sign, log, registry,
/// status lists); then a second build changing 1% of facts and removing 1% of subjects; then a re-delivered publish.
/// </summary>
internal static class PublishChainBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        using var issuerKey = LocalDevelopmentSigner.Create();
        var fetchedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var chain = await BenchChain.CreateAsync(
            azurite.ConnectionString,
            new BenchIssuerSigner(issuerKey),
            new IssuerOptions { Issuer = "https://rtgf.example", PublicBaseUrl = "https://rtgf.example", LogOrigin = "rtgf.example/log" },
            new BenchRecordsCompiler(),
            new FixedClock(fetchedAt.AddHours(1)));
        var (snapshots, compilation, harness, stage) = (chain.Snapshots, chain.Compilation, chain.Harness, chain.Stage);

        var output = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"publish-chain: {count:N0} tokens against Azurite (in memory), {Environment.ProcessorCount} cores");
        var first = await RunChainAsync("first build", Records(count, changed: 0, removed: 0), fetchedAt);
        var second = await RunChainAsync("1% changed, 1% removed", Records(count, changed: count / 100, removed: count / 100), fetchedAt.AddHours(1));
        var start = BenchClock.System.GetTimestamp();
        var again = await stage.PublishAsync(new PublishRequest(second.BuildId));
        output.AppendLine(CultureInfo.InvariantCulture, $"re-delivered publish: {BenchClock.System.GetElapsedTime(start).TotalSeconds:N2} s, issued {again.Issued}, log size {again.TreeSize:N0} (unchanged)");
        Console.Write(output);
        return second.Revoked == 2 * (count / 100) ? 0 : 1;

        async Task<Rtgf.Pipeline.Registry.Publication> RunChainAsync(string label, IReadOnlyList<BenchRecord> data, DateTimeOffset at)
        {
            var t0 = BenchClock.System.GetTimestamp();
            var snapshot = SnapshotBuilder.Build(BenchRecordsCompiler.Source, label.Replace(' ', '-'), at, [], data);
            await snapshots.WriteAsync(snapshot);
            var t1 = BenchClock.System.GetTimestamp();
            var qa = (await compilation.CompileAsync(new CompileRequest(BenchRecordsCompiler.Source, snapshot.Manifest.Digest, "bench")))!;
            var t2 = BenchClock.System.GetTimestamp();
            var publish = await harness.CheckAsync(qa) ?? throw new InvalidOperationException("QA failed on a deterministic compiler.");
            var t3 = BenchClock.System.GetTimestamp();
            var publication = await stage.PublishAsync(publish);
            var t4 = BenchClock.System.GetTimestamp();
            double S(long a, long b) => BenchClock.System.GetElapsedTime(a, b).TotalSeconds;
            output.AppendLine(CultureInfo.InvariantCulture,
                $"{label}: snapshot {S(t0, t1):N2} s, compile+store {S(t1, t2):N2} s, QA {S(t2, t3):N2} s, publish {S(t3, t4):N2} s " +
                $"({publication.Issued:N0} issued, {publication.Revoked:N0} revoked, {publication.Unchanged:N0} unchanged; {(publication.Issued > 0 ? publication.Issued / S(t3, t4) : 0):N0} issued tokens/s); total {S(t0, t4):N2} s, log size {publication.TreeSize:N0}, epoch {publication.RevocationEpoch}");
            return publication;
        }
    }

    private static List<BenchRecord> Records(int count, int changed, int removed)
    {
        var list = new List<BenchRecord>(count);
        for (var i = removed; i < count; i++)
        {
            var code = (10000 + i).ToString(CultureInfo.InvariantCulture);
            list.Add(new BenchRecord("rto:" + code, code, "Training Organisation " + code, i < removed + changed ? "cancelled" : "current"));
        }

        return list;
    }
}
