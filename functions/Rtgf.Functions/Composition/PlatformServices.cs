using Azure.Storage.Blobs;
using Rtgf.Azure.Connections;
using Rtgf.Azure.Transparency;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Keys;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;

namespace Rtgf.Functions.Composition;

/// <summary>
/// What every stage shares: who we are (<see cref="IssuerOptions"/>), the SDK's storage clients from the <c>RtgfStorage</c>
/// connection (a connection string locally, <c>RtgfStorage__*ServiceUri</c> with a managed identity in Azure: docs/spec/storage.md),
/// the issuer key and the transparency log's object store. Clients are created on first use, so the HTTP areas that
/// need no storage answer even where none is configured.
/// </summary>
internal static class PlatformServices
{
    /// <summary>Blob container holding the transparency log (tiles, entry bundles, checkpoint).</summary>
    public const string LogContainer = "rtgf-log";

    public static IHostApplicationBuilder AddRtgfPlatform(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IssuerOptions>().Bind(builder.Configuration.GetSection(IssuerOptions.SectionName));
        services.AddSingleton(sp => StorageConnection.FromSettings(key => sp.GetRequiredService<IConfiguration>()[key]));
        services.AddSingleton(sp => sp.GetRequiredService<StorageConnection>().Tables());
        services.AddSingleton(sp => sp.GetRequiredService<StorageConnection>().Blobs());
        services.AddSingleton<ILogObjectStore>(sp => new BlobLogObjectStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(LogContainer)));
        services.AddSingleton<ILogWriterLock>(sp => new BlobLogWriterLock(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(LogContainer), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IIssuerSigner, ConfiguredIssuerSigner>();
        return builder;
    }
}
