using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Azure.Snapshots;
using Rtgf.Azure.Storage.Blobs;
using Rtgf.Azure.Storage.Tables;
using Rtgf.Azure.Transparency;
using Rtgf.Benchmarks.Publishing;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
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
        var blobs = new BlobServiceClient(connectionString);
        var records = new TableRecordStore(new TableServiceClient(connectionString));
        var builds = new BlobBuildStore(blobs.GetBlobContainerClient(BlobBuildStore.ContainerName));
        var logContainer = blobs.GetBlobContainerClient("rtgf-log");
        await logContainer.CreateIfNotExistsAsync();
        var log = new BlobLogObjectStore(logContainer);
        var snapshotContainer = blobs.GetBlobContainerClient("rtgf-snapshots");
        await snapshotContainer.CreateIfNotExistsAsync();
        var snapshots = new BlobSnapshotStore(snapshotContainer);
        var clock = new FixedClock(fetchedAt.AddHours(1));
        var options = Options.Create(issuerOptions);
        var freeze = new RecordPublicationFreeze(records, log, issuer, options, clock);
        var compiler = new BenchRecordsCompiler();
        var publisher = new Publisher(records, builds, log, issuer, freeze, options, clock);
        var compilation = new BuildCompilation(snapshots, compiler, builds, options, NullLogger<BuildCompilation>.Instance);
        var harness = new DeterminismHarness(builds, snapshots, compiler, freeze, options, NullLogger<DeterminismHarness>.Instance);
        var stage = new PublishStage(builds, snapshots, compiler, publisher, options);

        var data = new List<BenchRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var code = (10000 + i).ToString(CultureInfo.InvariantCulture);
            data.Add(new BenchRecord("rto:" + code, code, "Training Organisation " + code, "current"));
        }

        var snapshot = SnapshotBuilder.Build(BenchRecordsCompiler.Source, "verify-load", fetchedAt, [], data);
        await snapshots.WriteAsync(snapshot);
        var qa = await compilation.CompileAsync(new CompileRequest(BenchRecordsCompiler.Source, snapshot.Manifest.Digest, "verify-load"))
            ?? throw new InvalidOperationException("The load build did not compile.");
        var publish = await harness.CheckAsync(qa) ?? throw new InvalidOperationException("QA failed on a deterministic compiler.");
        var publication = await stage.PublishAsync(publish);

        var registry = new RecordTokenRegistry(records);
        var page = await registry.ListAsync(BenchRecordsCompiler.Family, null, 1);
        var token = (page.Items.Count > 0 ? page.Items[0] : null) ?? throw new InvalidOperationException("The registry lists no published token.");
        var keys = await new RecordKeySetReader(records, issuer).GetAsync();
        return new LoadPublication(token, keys, publication.Issued);
    }
}
