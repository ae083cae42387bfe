using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Rtgf.Azure.Archives;
using Rtgf.Azure.Sessions;
using Rtgf.Core.Encryption;
using Rtgf.Pipeline.Sessions;

namespace Rtgf.Functions.Composition;

/// <summary>
/// Sessions and their archives (docs/spec/archives.md): the session store, <c>session-archiver</c>, <c>archive-purge</c>
/// and the key-encryption key. <c>Archive:StoragePrefix</c> prefixes the table and container names (tests).
/// </summary>
internal static class ArchiveServices
{
    public const string StoragePrefixSetting = "Archive:StoragePrefix";

    public static IHostApplicationBuilder AddArchives(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IDataKeyWrapper, ConfiguredDataKeyWrapper>();
        services.AddSingleton(sp => new TableSessionStore(() => sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<TimeProvider>(), Prefix(sp)));
        services.AddSingleton(sp => new SessionArchiver(
            () => sp.GetRequiredService<TableServiceClient>(),
            () => sp.GetRequiredService<BlobServiceClient>(),
            sp.GetRequiredService<IDataKeyWrapper>(),
            sp.GetRequiredService<TimeProvider>(),
            prefix: Prefix(sp)));
        services.AddSingleton(sp => new ArchivePurge(
            () => sp.GetRequiredService<BlobServiceClient>(),
            sp.GetRequiredService<TimeProvider>(),
            ArchiveSettings.Retention(sp.GetRequiredService<IConfiguration>()[ArchiveSettings.RetentionMonths]),
            Prefix(sp)));
        return builder;
    }

    private static string Prefix(IServiceProvider sp) => sp.GetRequiredService<IConfiguration>()[StoragePrefixSetting] ?? string.Empty;
}
