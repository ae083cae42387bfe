using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Backups;
using Rtgf.Azure.Transparency;
using Rtgf.Core.Encryption;
using Rtgf.Core.Signing;
using Rtgf.Pipeline.Operations;
using Rtgf.Testing;
using Rtgf.Transparency.Integration;

namespace Rtgf.Cli.Tests.Backups;

/// <summary>
/// A deployment's storage on its own Azurite (tables with every property type, several partitions and parts, a transparency
/// log of 300 entries written by the real integrator, blobs with headers) and a backups account on a second Azurite, with
/// the archive key in a file as the CLI reads it. Tests that wipe or restore start their own Azurite for the target.
/// </summary>
public sealed class BackupWorld : IAsyncLifetime
{
    public const string Origin = "rtgf.test/backup-log";
    public const int PartBytes = 8 * 1024;
    public static readonly DateTimeOffset Day1 = new(2026, 12, 5, 2, 0, 0, TimeSpan.Zero);

    private readonly LocalDevelopmentSigner _signer = LocalDevelopmentSigner.Create();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rtgf-backup-tests-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    public AzuriteFixture Data { get; } = new();

    public AzuriteFixture Backups { get; } = new();

    public LocalDevelopmentKeyWrapper Key { get; private set; } = null!;

    public string KeyPath => Path.Combine(_directory, "archive.key");

    public string VerifierKey => new LogIntegrator(LogStore(Data), Origin, _signer).VerifierKey.ToString();

    public ManualTimeProvider Clock { get; } = new(Day1);

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Data.InitializeAsync(), Backups.InitializeAsync());
        Directory.CreateDirectory(_directory);
        var key = SHA256Of("backup-world-archive-key");
        await File.WriteAllBytesAsync(KeyPath, key);
        Key = new LocalDevelopmentKeyWrapper(key);
        await SeedAsync(Data);
        var outcome = await NewBackup(Data, Backups.BlobService().GetBlobContainerClient(OperationsStorage.BackupsContainer)).RunAsync();
        Assert.True(outcome.Created);
    }

    public async Task DisposeAsync()
    {
        _signer.Dispose();
        await Data.DisposeAsync();
        await Backups.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public StorageBackup NewBackup(AzuriteFixture data, BlobContainerClient into, TimeProvider? clock = null) =>
        new(data.TableService(), data.BlobService(), into, Key, clock ?? Clock, "rtgf-log", PartBytes);

    public static BlobLogObjectStore LogStore(AzuriteFixture azurite) => new(azurite.BlobService().GetBlobContainerClient("rtgf-log"));

    /// <summary>Writes the deployment's data: rows of every type, a log, blobs; a traffic table a backup leaves out.</summary>
    public async Task SeedAsync(AzuriteFixture azurite)
    {
        var tables = azurite.TableService();
        var tokens = tables.GetTableClient("tokens");
        await tokens.CreateAsync();
        await tokens.AddEntityAsync(new TableEntity("p%2Fa", "r1")
        {
            ["Text"] = "é ünïcode\nline",
            ["Flag"] = true,
            ["Small"] = 42,
            ["Big"] = 9007199254740993L,
            ["Ratio"] = 0.1 + 0.2,
            ["When"] = new DateTimeOffset(2026, 3, 1, 12, 30, 45, 123, TimeSpan.Zero),
            ["Id"] = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"),
            ["Bytes"] = new byte[] { 0, 1, 2, 255 },
        });

        // Enough rows for several parts and more than one transaction per partition.
        var registry = tables.GetTableClient("registry");
        await registry.CreateAsync();
        foreach (var partition in new[] { "a", "b" })
        {
            var batch = new List<TableTransactionAction>();
            for (var i = 0; i < 150; i++)
            {
                batch.Add(new(TableTransactionActionType.Add, new TableEntity(partition, i.ToString("D4", CultureInfo.InvariantCulture)) { ["Json0"] = new string('x', 200) + i.ToString(CultureInfo.InvariantCulture) }));
                if (batch.Count == 100)
                {
                    await registry.SubmitTransactionAsync(batch);
                    batch.Clear();
                }
            }

            await registry.SubmitTransactionAsync(batch);
        }

        var traffic = tables.GetTableClient(OperationsStorage.TrafficTable);
        await traffic.CreateAsync();
        await traffic.AddEntityAsync(new TableEntity("2026-12-05", "r") { ["Route"] = "/v1" });

        var integrator = new LogIntegrator(LogStore(azurite), Origin, _signer);
        await integrator.IntegrateAsync(Entries(0, 200));
        await integrator.IntegrateAsync(Entries(200, 100));

        var snapshots = azurite.BlobService().GetBlobContainerClient("rtgf-snapshots");
        await snapshots.CreateAsync();
        await snapshots.GetBlobClient("tga/manifest.json").UploadAsync(BinaryData.FromString("{\"records\":3}"), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json", CacheControl = "public, max-age=60" } });
        await snapshots.GetBlobClient("tga/copy-of-manifest.json").UploadAsync(BinaryData.FromString("{\"records\":3}"));
        await snapshots.GetBlobClient("tga/empty").UploadAsync(BinaryData.FromBytes([]));

        // A session archive: a backup leaves these out (they must be gone after their retention).
        var archives = azurite.BlobService().GetBlobContainerClient(OperationsStorage.ArchivesContainer);
        await archives.CreateAsync();
        await archives.GetBlobClient("sessions/2026/12/04/a.rtgfenc").UploadAsync(BinaryData.FromString("sealed"));
    }

    public static IReadOnlyList<ReadOnlyMemory<byte>> Entries(int start, int count) =>
        [.. Enumerable.Range(start, count).Select(n => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"snapshot\",\"n\":{n}}}")))];

    private static byte[] SHA256Of(string text) => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
