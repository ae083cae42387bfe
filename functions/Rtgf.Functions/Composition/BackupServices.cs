using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Rtgf.Azure.Backups;
using Rtgf.Azure.Connections;
using Rtgf.Core.Encryption;
using Rtgf.Pipeline.Operations;

namespace Rtgf.Functions.Composition;

/// <summary>
/// The daily backup (issue 20; docs/spec/backups.md): <see cref="StorageBackup"/> over the app's tables and blobs, writing
/// to container <c>rtgf-backups</c> on the <c>RtgfBackupStorage</c> connection (same settings shape as <c>RtgfStorage</c>;
/// in Azure another account, in the second region) or, when that is not set, on <c>RtgfStorage</c>.
/// </summary>
internal static class BackupServices
{
    /// <summary>The backups' storage connection; unset means the app's own account.</summary>
    public const string ConnectionName = "RtgfBackupStorage";

    public static IHostApplicationBuilder AddBackups(this IHostApplicationBuilder builder)
    {
        // The archive key (IDataKeyWrapper) is the session archives' one, registered by AddArchives (ArchiveServices).
        builder.Services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var blobs = sp.GetRequiredService<BlobServiceClient>();
            var backupBlobs = configuration[ConnectionName] is { Length: > 0 } || configuration.GetSection(ConnectionName).GetChildren().Any()
                ? StorageConnection.FromSettings(key => configuration[key], ConnectionName).Blobs()
                : blobs;
            return new StorageBackup(
                sp.GetRequiredService<TableServiceClient>(),
                blobs,
                backupBlobs.GetBlobContainerClient(OperationsStorage.BackupsContainer),
                sp.GetRequiredService<IDataKeyWrapper>(),
                sp.GetRequiredService<TimeProvider>(),
                PlatformServices.LogContainer);
        });
        return builder;
    }
}
