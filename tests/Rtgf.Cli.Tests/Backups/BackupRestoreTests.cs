using Azure.Data.Tables;
using Rtgf.Azure.Backups;
using Rtgf.Pipeline.Audit;
using Rtgf.Pipeline.Operations;
using Rtgf.Testing;

namespace Rtgf.Cli.Tests.Backups;

/// <summary>
/// The backup and `rtgf backup restore` over Azurite: a restore rebuilds every row and blob exactly, audits the log and
/// records the actor; a changed part, a wrong key or a non-empty target refuse before anything is written; runs of the
/// same day, concurrent runs and a run that crashed before its manifest converge on one backup; later days copy only what
/// is new.
/// </summary>
public sealed class BackupRestoreTests(BackupWorld world) : IClassFixture<BackupWorld>
{
    [Fact]
    public async Task Restore_IntoEmptyStorage_RebuildsEveryRowAndBlob_AuditsTheLog_AndRecordsTheActor()
    {
        await using var target = await StartAsync();

        var (exit, output, error) = await RestoreAsync(world.Backups, target, "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops@example.org");

        Assert.True(exit == CliApp.Valid, error + output);
        Assert.Contains("clean: the restored tiles and entries prove the backup's signed checkpoint", output, StringComparison.Ordinal);
        foreach (var table in new[] { "tokens", "registry" })
        {
            Assert.Equal(await RowsAsync(world.Data, table), await RowsAsync(target, table));
        }

        Assert.Equal(300, (await RowsAsync(target, "registry")).Count);
        Assert.DoesNotContain(OperationsStorage.TrafficTable, await target.TableService().QueryAsync().Select(t => t.Name).ToListAsync()); // not backed up
        Assert.Equal(await BlobsAsync(world.Data), await BlobsAsync(target));
        var audit = (await target.TableService().GetTableClient(OperationsStorage.AuditTable).QueryAsync<TableEntity>().ToListAsync()).Where(e => e.RowKey.StartsWith("e-", StringComparison.Ordinal)).ToList();
        var entry = Assert.Single(audit);
        Assert.Equal(("ops@example.org", AuditActions.BackupRestored, StorageBackup.IdFor(BackupWorld.Day1)), (entry.GetString("Actor"), entry.GetString("Action"), entry.GetString("Subject")));
    }

    [Fact]
    public async Task Restore_APartChangedByOneByte_IsRefusedBeforeAnythingIsWritten()
    {
        await using var backups = await StartAsync();
        var container = backups.BlobService().GetBlobContainerClient(OperationsStorage.BackupsContainer);
        await world.NewBackup(world.Data, container).RunAsync();
        var manifest = await BackupCatalog.ReadManifestAsync(container, StorageBackup.IdFor(BackupWorld.Day1), world.Key);
        var victim = manifest.Tables.Single(t => t.Name == "registry").Parts[^1].Path;
        var bytes = (await container.GetBlobClient(victim).DownloadContentAsync()).Value.Content.ToArray();
        bytes[bytes.Length / 2] ^= 0x01;
        await container.GetBlobClient(victim).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
        await using var target = await StartAsync();

        var (exit, output, error) = await RestoreAsync(backups, target, "--backup", StorageBackup.IdFor(BackupWorld.Day1) + "/manifest", "--actor", "ops");

        Assert.Equal(CliApp.Failed, exit);
        Assert.Equal($"rtgf: Part {victim} does not match the SHA-256 the manifest records: it was changed.", error.TrimEnd());
        Assert.Empty(output);
        Assert.Empty(await StorageRestore.OccupiedAsync(target.TableService(), target.BlobService()));
    }

    [Fact]
    public async Task Restore_UnderAnotherArchiveKey_IsRefusedWithOneLine()
    {
        await using var target = await StartAsync();
        var otherKey = Path.Combine(Path.GetDirectoryName(world.KeyPath)!, "other.key");
        await File.WriteAllBytesAsync(otherKey, new byte[32]);

        var (exit, _, error) = await RunAsync("backup", "restore", "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops",
            "--source", world.Backups.ConnectionString, "--target", target.ConnectionString, "--archive-key", "@" + otherKey, "--log-key", world.VerifierKey);

        Assert.Equal(CliApp.Failed, exit);
        Assert.StartsWith("rtgf: The manifest of backup 2026-12-05 cannot be opened: The data key was wrapped by local:", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(await StorageRestore.OccupiedAsync(target.TableService(), target.BlobService()));
    }

    [Fact]
    public async Task Restore_IntoStorageThatHoldsData_IsRefusedUnlessForced_AndAForcedRerunCompletesIt()
    {
        await using var target = await StartAsync();
        var stale = target.TableService().GetTableClient("registry");
        await stale.CreateAsync();
        await stale.AddEntityAsync(new TableEntity("a", "0000") { ["Json0"] = "stale" });

        var refused = await RestoreAsync(world.Backups, target, "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops");
        var stillStale = await RowsAsync(target, "registry");
        var forced = await RestoreAsync(world.Backups, target, "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops", "--force");
        var again = await RestoreAsync(world.Backups, target, "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops", "--force");

        Assert.Equal(CliApp.Failed, refused.Exit);
        Assert.Equal("rtgf: the target is not empty (table registry): give --force to restore over it.", refused.Error.TrimEnd());
        Assert.Single(stillStale);
        Assert.Equal(CliApp.Valid, forced.Exit);
        Assert.Equal(CliApp.Valid, again.Exit);
        Assert.Equal(await RowsAsync(world.Data, "registry"), await RowsAsync(target, "registry"));
        Assert.Equal(await BlobsAsync(world.Data), await BlobsAsync(target));
    }

    [Theory]
    [InlineData("yesterday", "rtgf: 'yesterday' names no backup: give its date (yyyy-MM-dd) or its manifest (yyyy-MM-dd/manifest).")]
    [InlineData("2026-12-04", "rtgf: There is no finished backup 2026-12-04 (no 2026-12-04/manifest in container rtgf-backups).")]
    public async Task Restore_ABackupThatDoesNotExist_IsOneLineAndExitTwo(string backup, string expected)
    {
        await using var target = await StartAsync();

        var (exit, output, error) = await RestoreAsync(world.Backups, target, "--backup", backup, "--actor", "ops");

        Assert.Equal(CliApp.Failed, exit);
        Assert.Equal(expected, error.TrimEnd());
        Assert.Empty(output);
    }

    [Fact]
    public async Task Backup_TwoRunsAtOnce_MakeOneBackup_AndARerunThatDayDoesNothing()
    {
        var container = world.Backups.BlobService().GetBlobContainerClient(world.Backups.UniqueName("concurrent"));

        var outcomes = await Task.WhenAll(world.NewBackup(world.Data, container).RunAsync(), world.NewBackup(world.Data, container).RunAsync());
        var rerun = await world.NewBackup(world.Data, container).RunAsync();

        Assert.Single(outcomes, o => o.Created);
        Assert.False(rerun.Created);
        Assert.Equal([StorageBackup.IdFor(BackupWorld.Day1)], await BackupCatalog.ListAsync(container));
        var manifest = await new StorageRestore(container, world.Key).VerifyAsync(StorageBackup.IdFor(BackupWorld.Day1));
        Assert.Equal(300, manifest.Tables.Single(t => t.Name == "registry").Rows);
    }

    [Fact]
    public async Task Backup_CrashedBeforeItsManifest_IsNotListed_AndTheNextRunMakesTheDayWhole()
    {
        var container = world.Backups.BlobService().GetBlobContainerClient(world.Backups.UniqueName("crashed"));
        await world.NewBackup(world.Data, container).RunAsync();
        await container.DeleteBlobAsync(StorageBackup.IdFor(BackupWorld.Day1) + "/manifest"); // the crash: parts written, no manifest

        var listedAfterCrash = await BackupCatalog.ListAsync(container);
        var next = await world.NewBackup(world.Data, container).RunAsync();

        Assert.Empty(listedAfterCrash);
        Assert.True(next.Created);
        var manifest = await new StorageRestore(container, world.Key).VerifyAsync(StorageBackup.IdFor(BackupWorld.Day1));
        Assert.Equal(300, manifest.Checkpoint!.Size);
    }

    [Fact]
    public async Task Backup_TheNextDay_CopiesOnlyNewBlobs_AndRestoresWholeFromPacksOfBothDays()
    {
        await using var data = await StartAsync();
        await world.SeedAsync(data);
        var container = world.Backups.BlobService().GetBlobContainerClient(world.Backups.UniqueName("daily"));
        var clock = new ManualTimeProvider(BackupWorld.Day1);
        var first = await world.NewBackup(data, container, clock).RunAsync();
        await data.BlobService().GetBlobContainerClient("rtgf-snapshots").GetBlobClient("cricos/new.jsonl").UploadAsync(BinaryData.FromString("{\"new\":true}\n"));
        clock.Advance(TimeSpan.FromDays(1));

        var second = await world.NewBackup(data, container, clock).RunAsync();

        Assert.True(first.Created && second.Created);
        Assert.Equal(first.Blobs + 1, second.Blobs);
        Assert.Equal(1, second.CopiedBlobs);
        var manifest = await new StorageRestore(container, world.Key).VerifyAsync(second.Id);
        Assert.Contains(manifest.BlobParts, p => p.Path.StartsWith(first.Id + "/", StringComparison.Ordinal));
        await using var target = await StartAsync();
        await new StorageRestore(container, world.Key).RestoreAsync(manifest, target.TableService(), target.BlobService());
        Assert.Equal(await BlobsAsync(data), await BlobsAsync(target));
    }

    [Fact]
    public async Task Backup_LeavesOutSessionArchives_SoARestoreNeverBringsThemBack()
    {
        var manifest = await new StorageRestore(world.Backups.BlobService().GetBlobContainerClient(OperationsStorage.BackupsContainer), world.Key).VerifyAsync(StorageBackup.IdFor(BackupWorld.Day1));
        var archived = await world.Data.BlobService().GetBlobContainerClient(OperationsStorage.ArchivesContainer).GetBlobsAsync().ToListAsync();

        Assert.NotEmpty(archived); // the deployment holds one
        Assert.DoesNotContain(manifest.Blobs, b => b.Container == OperationsStorage.ArchivesContainer);
        Assert.DoesNotContain(OperationsStorage.ArchivesContainer, manifest.Containers);
    }

    [Fact]
    public async Task Restore_WithTheBase64KeyFileTheLocalRunnerWrites_Restores()
    {
        await using var target = await StartAsync();
        var base64Key = Path.Combine(Path.GetDirectoryName(world.KeyPath)!, "runner.key");
        await File.WriteAllTextAsync(base64Key, Convert.ToBase64String(await File.ReadAllBytesAsync(world.KeyPath)) + "\n");

        var (exit, output, error) = await RunAsync("backup", "restore", "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops",
            "--source", world.Backups.ConnectionString, "--target", target.ConnectionString, "--archive-key", "@" + base64Key, "--log-key", world.VerifierKey);

        Assert.True(exit == CliApp.Valid, error + output);
        Assert.Equal(await BlobsAsync(world.Data), await BlobsAsync(target));
    }

    [Theory]
    [InlineData(true, "rtgf: give --key-id or --archive-key, not both.")]
    [InlineData(false, "rtgf: give the archive key: --key-id (Key Vault) or --archive-key (a local run's key file).")]
    public async Task Restore_NeedsExactlyOneOfArchiveKeyAndKeyId(bool both, string expected)
    {
        await using var target = await StartAsync();
        string[] key = both ? ["--archive-key", "@" + world.KeyPath, "--key-id", "https://rtgf-kv.vault.azure.net/keys/archive"] : [];

        var (exit, output, error) = await RunAsync([
            "backup", "restore", "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops",
            "--source", world.Backups.ConnectionString, "--target", target.ConnectionString, "--log-key", world.VerifierKey, .. key,
        ]);

        Assert.Equal(CliApp.Failed, exit);
        Assert.Equal(expected, error.TrimEnd());
        Assert.Empty(output);
    }

    [Fact]
    public async Task Restore_OverANewerLog_IsRefusedEvenWithForce_AndWritesNothing()
    {
        await using var target = await StartAsync();
        var stale = target.TableService().GetTableClient("registry");
        await stale.CreateAsync();
        await stale.AddEntityAsync(new TableEntity("a", "0000") { ["Json0"] = "stale" });
        var log = target.BlobService().GetBlobContainerClient("rtgf-log");
        await log.CreateAsync();
        await log.GetBlobClient("checkpoint").UploadAsync(BinaryData.FromString("rtgf.test/backup-log\n301\nbmV3ZXI=\n")); // a later checkpoint than the backup's

        var (exit, output, error) = await RestoreAsync(world.Backups, target, "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops", "--force");

        Assert.Equal(CliApp.Failed, exit);
        Assert.StartsWith("rtgf: The target's log checkpoint rtgf-log/checkpoint is not the backup's", error, StringComparison.Ordinal);
        Assert.DoesNotContain("restored:", output, StringComparison.Ordinal);
        Assert.Single(await RowsAsync(target, "registry"));
        Assert.Equal(["checkpoint"], await log.GetBlobsAsync().Select(b => b.Name).ToListAsync());
    }

    [Fact]
    public async Task Restore_IntoAnInterruptedRestore_WithTheBackupsOwnCheckpoint_IsAllowedWithForce()
    {
        await using var target = await StartAsync();
        var first = await RestoreAsync(world.Backups, target, "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops");
        await target.TableService().DeleteTableAsync("registry"); // as if it stopped before that table

        var again = await RestoreAsync(world.Backups, target, "--backup", StorageBackup.IdFor(BackupWorld.Day1), "--actor", "ops", "--force");

        Assert.Equal(CliApp.Valid, first.Exit);
        Assert.True(again.Exit == CliApp.Valid, again.Error + again.Output);
        Assert.Equal(await RowsAsync(world.Data, "registry"), await RowsAsync(target, "registry"));
    }

    [Fact]
    public void StorageSettings_WithoutAConnectionString_AreTheIdentityBasedOnes()
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["RtgfBackupStorage__blobServiceUri"] = "https://rtgfbackups.blob.core.windows.net",
            ["RtgfBackupStorage__tableServiceUri"] = "https://rtgfbackups.table.core.windows.net",
        };

        var connection = global::Rtgf.Cli.Commands.BackupCommands.Connection(null, "RtgfBackupStorage", "--source", name => settings.GetValueOrDefault(name));
        var missing = Assert.Throws<ArgumentException>(() => global::Rtgf.Cli.Commands.BackupCommands.Connection(null, "RtgfStorage", "--target", name => settings.GetValueOrDefault(name)));

        Assert.Equal(new Uri("https://rtgfbackups.blob.core.windows.net"), connection.Blobs().Uri);
        Assert.Equal("rtgfbackups", connection.Tables().AccountName);
        Assert.StartsWith("--target is missing", missing.Message, StringComparison.Ordinal);
    }

    private static async Task<AzuriteFixture> StartAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        return azurite;
    }

    private Task<(int Exit, string Output, string Error)> RestoreAsync(AzuriteFixture backups, AzuriteFixture target, params string[] args) =>
        RunAsync([
            "backup", "restore", .. args,
            "--source", backups.ConnectionString, "--target", target.ConnectionString, "--archive-key", "@" + world.KeyPath, "--log-key", world.VerifierKey,
        ]);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliConsole(TextReader.Null, output, error));
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Every row as text: keys and each property with its CLR type and value (the service's Timestamp and ETag aside).</summary>
    private static async Task<List<string>> RowsAsync(AzuriteFixture azurite, string table)
    {
        var rows = new List<string>();
        await foreach (var entity in azurite.TableService().GetTableClient(table).QueryAsync<TableEntity>())
        {
            rows.Add(entity.PartitionKey + "|" + entity.RowKey + "|" + string.Join(";", entity.Keys
                .Where(k => k is not ("Timestamp" or "odata.etag"))
                .Order(StringComparer.Ordinal)
                .Select(k => k + "=" + entity[k]?.GetType().Name + ":" + (entity[k] is byte[] b ? Convert.ToHexString(b) : Convert.ToString(entity[k], System.Globalization.CultureInfo.InvariantCulture)))));
        }

        return rows;
    }

    /// <summary>Every blob a backup covers: container, name, content hash and headers (the writer's lock blob aside).</summary>
    private static async Task<List<string>> BlobsAsync(AzuriteFixture azurite)
    {
        var blobs = new List<string>();
        await foreach (var container in azurite.BlobService().GetBlobContainersAsync())
        {
            if (StorageBackup.IsExcludedContainer(container.Name))
            {
                continue;
            }

            var client = azurite.BlobService().GetBlobContainerClient(container.Name);
            await foreach (var item in client.GetBlobsAsync())
            {
                if (item.Name == "writer.lock")
                {
                    continue;
                }

                var content = (await client.GetBlobClient(item.Name).DownloadContentAsync()).Value;
                blobs.Add($"{container.Name}/{item.Name} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content.Content.ToArray()))} {content.Details.ContentType} {content.Details.CacheControl}");
            }
        }

        return [.. blobs.Order(StringComparer.Ordinal)];
    }
}
