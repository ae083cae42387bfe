using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rtgf.Azure.Pipeline.Stats;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Stats;
using Rtgf.Register;
using Rtgf.Register.Search;
using Rtgf.Register.Stats;

namespace Rtgf.Functions.Composition;

/// <summary>
/// The register the public API (<c>/v1</c>) serves: generations loaded from the latest publication's build through the
/// pipeline's stores (registered by the pipeline's composition), each with its own search index.
/// </summary>
internal static class RegisterServices
{
    public static IHostApplicationBuilder AddRegister(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RegisterOptions>().Bind(builder.Configuration.GetSection(RegisterOptions.SectionName));
        services.TryAddSingleton<CatalogueSearchFactory>(LuceneCatalogueSearch.Build);
        services.AddSingleton(sp => new RegisterLoader(
            sp.GetRequiredService<ITokenRegistry>(),
            sp.GetRequiredService<IBuildStore>(),
            sp.GetRequiredService<ISnapshotStore>(),
            sp.GetRequiredService<IOptions<IssuerOptions>>().Value.PublicBaseUrl,
            sp.GetRequiredService<CatalogueSearchFactory>()));
        services.AddSingleton(sp => new RegisterGenerations(
            sp.GetRequiredService<RegisterLoader>(),
            sp.GetRequiredService<IOptions<RegisterOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RegisterGenerations>>()));

        // The statistics of each publication (stats-cache, /v1/stats): stored once per build in a container of their own.
        services.TryAddSingleton<IStatsDocumentStore>(sp => new BlobStatsDocumentStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobStatsDocumentStore.ContainerName)));
        services.AddSingleton(sp => new PublicationStatsCalculator(sp.GetRequiredService<IBuildStore>(), sp.GetRequiredService<ISnapshotStore>(), sp.GetRequiredService<IRecordStore>()));
        services.AddSingleton<PublicationStatsSource>();
        services.AddSingleton<StatsCacheWorker>();
        services.AddSingleton<StatsHistory>();
        return builder;
    }
}
