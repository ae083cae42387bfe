using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BenchmarkDotNet.Attributes;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Storage;

/// <summary>
/// Throughput of the storage clients against Azurite (in memory, loopback): entity-group transactions
/// against one request per entity, and blob uploads of tile-sized and snapshot-sized objects.
/// Per-operation times: divide into one second for operations per second.
/// </summary>
[MemoryDiagnoser]
public class StorageThroughputBenchmarks
{
    private const int Batch = 100;
    private AzuriteServer? _azurite;
    private TableClient? _table;
    private BlobContainerClient? _container;
    private BinaryData _tile = BinaryData.Empty;
    private BinaryData _snapshot = BinaryData.Empty;
    private int _round;

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void StartAzurite() => StartAzuriteAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void StopAzurite() => _azurite?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task StartAzuriteAsync()
    {
        _azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        _table = new TableServiceClient(_azurite.ConnectionString).GetTableClient("bench");
        await _table.CreateIfNotExistsAsync();
        _container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("bench");
        await _container.CreateIfNotExistsAsync();
        _tile = new BinaryData(Filled(8 * 1024));        // a full C2SP hash tile: 256 × 32 bytes
        _snapshot = new BinaryData(Filled(4 * 1024 * 1024));
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "upsert 100 entities: one transaction")]
    public async Task UpsertEntitiesInOneTransaction()
    {
        var partition = NextPartition();
        var actions = new List<TableTransactionAction>(Batch);
        for (var i = 0; i < Batch; i++)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, Record(partition, i)));
        }

        await _table!.SubmitTransactionAsync(actions);
    }

    [Benchmark(OperationsPerInvoke = Batch, Baseline = true, Description = "upsert 100 entities: one request each")]
    public async Task UpsertEntitiesOneRequestEach()
    {
        var partition = NextPartition();
        for (var i = 0; i < Batch; i++)
        {
            await _table!.UpsertEntityAsync(Record(partition, i), TableUpdateMode.Replace);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "upload 100 × 8 KiB blobs (create-only)")]
    public async Task UploadTileBlobs()
    {
        var prefix = NextPartition();
        for (var i = 0; i < Batch; i++)
        {
            await _container!.GetBlobClient($"{prefix}/tile/{i}").UploadAsync(_tile, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = global::Azure.ETag.All } });
        }
    }

    [Benchmark(Description = "upload one 4 MiB blob")]
    public async Task UploadSnapshotBlob() =>
        await _container!.GetBlobClient($"{NextPartition()}/snapshot").UploadAsync(_snapshot, overwrite: true);

    private string NextPartition() => "r" + Interlocked.Increment(ref _round).ToString("D8", CultureInfo.InvariantCulture);

    // An entity shaped like a normalised RTO scope row.
    private static TableEntity Record(string partition, int i) => new(partition, i.ToString("D5", CultureInfo.InvariantCulture))
    {
        ["Code"] = "BSB" + i.ToString("D5", CultureInfo.InvariantCulture),
        ["Title"] = "Certificate IV in Business Administration",
        ["Status"] = "Current",
        ["Release"] = 3,
        ["Extent"] = "Deliver and assess",
        ["StartDate"] = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ["IsImplicit"] = false,
        ["Digest"] = new byte[32],
    };

    private static byte[] Filled(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 131);
        }

        return bytes;
    }
}
