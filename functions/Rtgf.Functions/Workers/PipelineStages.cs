using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Azure.Snapshots;
using Rtgf.Azure.Storage.Blobs;
using Rtgf.Azure.Storage.Tables;
using Rtgf.Compiler;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Workers;

/// <summary>The queue-triggered pipeline stages (issue 6): compile, QA (determinism harness) and publish.</summary>
internal static class PipelineStages
{
    /// <summary>Blob container of the snapshots the compiler reads (shared with ingestion, which registers the same store).</summary>
    public const string SnapshotContainer = "rtgf-snapshots";

    public const string QaOutput = "qa";
    public const string PublishOutput = "publish";

    public static FunctionDefinition Compile { get; } = FunctionDefinition.ServiceBus("compile", PipelineQueues.Compile, new ServiceBusOutput(QaOutput, PipelineQueues.Qa));

    public static FunctionDefinition Qa { get; } = FunctionDefinition.ServiceBus("qa", PipelineQueues.Qa, new ServiceBusOutput(PublishOutput, PipelineQueues.Publish));

    public static FunctionDefinition Publish { get; } = FunctionDefinition.ServiceBus("publish", PipelineQueues.Publish);

    public static WebApplicationBuilder AddPipelineStages(this WebApplicationBuilder builder)
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

        services.AddFunction<CompileFunction>(Compile);
        services.AddFunction<QaFunction>(Qa);
        services.AddFunction<PublishFunction>(Publish);
        return builder;
    }
}
