using System.Globalization;
using Rtgf.Benchmarks.Publishing;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// Publishes a small real build into storage with the pipeline's own classes and the same containers and tables the app
/// reads (snapshot → compile → QA → publish: certified key, signatures, log, registry rows, status lists).
/// </summary>
internal static class LoadPublisher
{
    public static async Task<LoadPublication> PublishAsync(string connectionString, IIssuerSigner issuer, IssuerOptions issuerOptions, DateTimeOffset fetchedAt, int count)
    {
        var chain = await BenchChain.CreateAsync(connectionString, issuer, issuerOptions, new BenchRecordsCompiler(), new FixedClock(fetchedAt.AddHours(1)));
        var data = new List<BenchRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var code = (10000 + i).ToString(CultureInfo.InvariantCulture);
            data.Add(new BenchRecord("rto:" + code, code, "Training Organisation " + code, "current"));
        }

        var snapshot = SnapshotBuilder.Build(BenchRecordsCompiler.Source, "verify-load", fetchedAt, [], data);
        await chain.Snapshots.WriteAsync(snapshot);
        var qa = await chain.Compilation.CompileAsync(new CompileRequest(BenchRecordsCompiler.Source, snapshot.Manifest.Digest, "verify-load"))
            ?? throw new InvalidOperationException("The load build did not compile.");
        var publish = await chain.Harness.CheckAsync(qa) ?? throw new InvalidOperationException("QA failed on a deterministic compiler.");
        var publication = await chain.Stage.PublishAsync(publish);

        var registry = new RecordTokenRegistry(chain.Records);
        var page = await registry.ListAsync(BenchRecordsCompiler.Family, null, 1);
        var token = (page.Items.Count > 0 ? page.Items[0] : null) ?? throw new InvalidOperationException("The registry lists no published token.");
        var keys = await new RecordKeySetReader(chain.Records, issuer).GetAsync();
        return new LoadPublication(token, keys, publication.Issued);
    }
}
