using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rtgf.Azure.Connections;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Azure.Snapshots;
using Rtgf.Azure.Transparency;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Benchmarks.Publishing;

/// <summary>
/// The pipeline's compile, QA and publish stages over real Table/Blob stores, wired as the app wires them, with the
/// containers and tables the app reads: what publish-chain, publish-national and verify-load drive.
/// </summary>
internal sealed class BenchChain
{
    private BenchChain(TableRecordStore records, BlobSnapshotStore snapshots, BuildCompilation compilation, DeterminismHarness harness, PublishStage stage)
    {
        Records = records;
        Snapshots = snapshots;
        Compilation = compilation;
        Harness = harness;
        Stage = stage;
    }

    public TableRecordStore Records { get; }

    public BlobSnapshotStore Snapshots { get; }

    public BuildCompilation Compilation { get; }

    public DeterminismHarness Harness { get; }

    public PublishStage Stage { get; }

    public static async Task<BenchChain> CreateAsync(string connectionString, IIssuerSigner issuer, IssuerOptions issuerOptions, IBuildCompiler compiler, TimeProvider clock)
    {
        var blobs = new BlobServiceClient(connectionString);
        var records = new TableRecordStore(new TableServiceClient(connectionString));
        var builds = new BlobBuildStore(blobs.GetBlobContainerClient(BlobBuildStore.ContainerName));
        var logContainer = blobs.GetBlobContainerClient("rtgf-log");
        await logContainer.CreateIfNotExistsAsync();
        var log = new BlobLogObjectStore(logContainer);
        var logLock = new BlobLogWriterLock(logContainer, Startup.BenchClock.System);
        var snapshotContainer = blobs.GetBlobContainerClient("rtgf-snapshots");
        await snapshotContainer.CreateIfNotExistsAsync();
        var snapshots = new BlobSnapshotStore(snapshotContainer);
        var options = Options.Create(issuerOptions);
        var freeze = new RecordPublicationFreeze(records, log, logLock, issuer, options, clock);
        var publisher = new Publisher(records, builds, log, logLock, issuer, freeze, options, clock);
        return new BenchChain(
            records,
            snapshots,
            new BuildCompilation(snapshots, compiler, builds, options, NullLogger<BuildCompilation>.Instance),
            new DeterminismHarness(builds, snapshots, compiler, freeze, options, NullLogger<DeterminismHarness>.Instance),
            new PublishStage(
                builds, snapshots, compiler, publisher, new PublishWaits(new StorageQueueSender(StorageConnection.FromConnectionString(connectionString)), clock, NullLogger<PublishWaits>.Instance), options));
    }
}
