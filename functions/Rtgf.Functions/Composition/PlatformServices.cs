using Rtgf.Azure.Storage;
using Rtgf.Azure.Storage.Blobs;
using Rtgf.Azure.Storage.Queues;
using Rtgf.Azure.Storage.Tables;
using Rtgf.Azure.Transparency;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Keys;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;

namespace Rtgf.Functions.Composition;

/// <summary>
/// What every stage shares: who we are (<see cref="IssuerOptions"/>), storage clients from <c>AzureWebJobsStorage</c>,
/// the issuer key and the transparency log's object store. Clients are created on first use, so the HTTP areas that
/// need no storage answer even where none is configured.
/// </summary>
internal static class PlatformServices
{
    /// <summary>Blob container holding the transparency log (tiles, entry bundles, checkpoint).</summary>
    public const string LogContainer = "rtgf-log";

    public static WebApplicationBuilder AddRtgfPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IssuerOptions>().Bind(builder.Configuration.GetSection(IssuerOptions.SectionName));
        services.AddSingleton(sp => StorageConnection(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => new TableServiceClient(sp.GetRequiredService<StorageConnectionString>().ToConnectionString()));
        services.AddSingleton(sp => new BlobServiceClient(sp.GetRequiredService<StorageConnectionString>().ToConnectionString()));
        services.AddSingleton(sp => new QueueServiceClient(sp.GetRequiredService<StorageConnectionString>().ToConnectionString()));
        services.AddSingleton<ILogObjectStore>(sp => new BlobLogObjectStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(LogContainer)));
        services.AddSingleton<ILogWriterLock>(sp => new BlobLogWriterLock(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(LogContainer), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IIssuerSigner, ConfiguredIssuerSigner>();
        return builder;
    }

    private static StorageConnectionString StorageConnection(IConfiguration configuration)
    {
        var value = configuration["AzureWebJobsStorage"];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException("The app setting 'AzureWebJobsStorage' is not set: the pipeline and registry need a storage account.");
        }

        return StorageConnectionString.Parse(value);
    }
}
