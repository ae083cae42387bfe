using Rtgf.Azure.Backups;
using Rtgf.Core.Encryption;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Operations;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Backups;

/// <summary>
/// The <c>backup</c> timer as the app composes it (<c>BackupServices</c>), not a hand-built one: its schedule setting, and
/// a run that reads the app's own storage and writes <c>rtgf-backups</c> on <c>RtgfBackupStorage</c>, sealed under the
/// configured archive key. The app's storage and the backups' are Azurites of their own.
/// </summary>
public sealed class BackupCompositionTests
{
    [Fact]
    public void Backup_IsATimerOnItsScheduleSetting()
    {
        var function = FunctionIndex.ForApp()["backup"];

        Assert.Equal("timer", function.Trigger);
        Assert.Equal("%" + OperationsSchedules.BackupSetting + "%", function.Schedule);
    }

    [Fact]
    public async Task TheAppsBackup_WritesToRtgfBackupStorage_SealedUnderTheArchiveKey()
    {
        await using var data = new AzuriteFixture();
        await using var backups = new AzuriteFixture();
        await Task.WhenAll(data.InitializeAsync(), backups.InitializeAsync());
        var directory = Directory.CreateTempSubdirectory("rtgf-backup-composition-");
        try
        {
            var keyPath = Path.Combine(directory.FullName, "archive.key");
            var key = Enumerable.Repeat((byte)9, DataKeys.KeySize).ToArray();
            await File.WriteAllTextAsync(keyPath, Convert.ToBase64String(key));
            var snapshots = data.BlobService().GetBlobContainerClient("rtgf-snapshots");
            await snapshots.CreateAsync();
            await snapshots.GetBlobClient("tga/manifest.json").UploadAsync(BinaryData.FromString("{}"));
            await using var app = new BackupApp(data, backups, keyPath);
            await app.InitializeAsync();

            var outcome = await app.Services.GetRequiredService<StorageBackup>().RunAsync();

            Assert.True(outcome.Created);
            var container = backups.BlobService().GetBlobContainerClient(OperationsStorage.BackupsContainer);
            Assert.Equal([outcome.Id], await BackupCatalog.ListAsync(container));
            Assert.False(await data.BlobService().GetBlobContainerClient(OperationsStorage.BackupsContainer).ExistsAsync());
            var manifest = await BackupCatalog.ReadManifestAsync(container, outcome.Id, new LocalDevelopmentKeyWrapper(key));
            Assert.Contains(manifest.Blobs, b => b.Container == "rtgf-snapshots" && b.Name == "tga/manifest.json");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private sealed class BackupApp(AzuriteFixture data, AzuriteFixture backups, string keyPath) : FunctionsApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RtgfStorage"] = data.ConnectionString,
            ["RtgfBackupStorage"] = backups.ConnectionString,
            ["Archive:DevelopmentKeyPath"] = keyPath,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["Rtgf:Issuer"] = "http://localhost",
            ["Rtgf:PublicBaseUrl"] = "http://localhost",
            ["Rtgf:LogOrigin"] = "localhost/rtgf/log",
        };
    }
}
