using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Connections;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Azure.Snapshots;
using Rtgf.Compiler;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Workers;

/// <summary>
/// The services of the queue-triggered pipeline stages (issue 6): compile, QA (determinism harness) and publish. Storage
/// queues, in Azure as locally (design brief, 2026-12-04): the publish stage re-queues waiting requests with an initial
/// visibility delay, which only a Storage queue it also reads from can carry.
/// </summary>
internal static class PipelineStages
{
    /// <summary>Blob container of the snapshots the compiler reads (shared with ingestion, which registers the same store).</summary>
    public const string SnapshotContainer = "rtgf-snapshots";

    public static IHostApplicationBuilder AddPipelineStages(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<ISnapshotStore>(sp => new BlobSnapshotStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(SnapshotContainer)));
        services.AddSingleton<IRecordStore>(sp => new TableRecordStore(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<IBuildStore>(sp => new BlobBuildStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobBuildStore.ContainerName)));

        // The matrix is loaded on first use, so the HTTP areas start even before the compiler ships.
        services.AddSingleton<IBuildCompiler>(_ => new MatrixBuildCompiler(new TokenCompiler(PolicyMatrix.LoadDefault())));
        services.AddSingleton<IPublicationFreeze, RecordPublicationFreeze>();
        services.AddSingleton<Publisher>();
        services.AddSingleton<IRevocationService>(sp => sp.GetRequiredService<Publisher>());
        services.AddSingleton<ITokenRegistry, RecordTokenRegistry>();
        services.AddSingleton<IRevocationReader, RecordRevocationReader>();
        services.AddSingleton<IKeySetReader, RecordKeySetReader>();
        services.AddSingleton<BuildCompilation>();
        services.AddSingleton<DeterminismHarness>();
        services.AddSingleton<PublishStage>();
        services.AddSingleton<HandOffClaims>();
        services.AddSingleton<PublishWaits>();

        // Its own client: bodies must be encoded as the queue trigger decodes them (host.json messageEncoding).
        services.TryAddSingleton<IDelayedQueueSender>(sp => new StorageQueueSender(sp.GetRequiredService<StorageConnection>()));

        return builder;
    }
}
