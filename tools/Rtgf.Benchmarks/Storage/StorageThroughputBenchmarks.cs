using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Rtgf.Tooling;
using SdkBlobs = global::Azure.Storage.Blobs;
using SdkBlobModels = global::Azure.Storage.Blobs.Models;
using SdkTables = global::Azure.Data.Tables;

namespace Rtgf.Benchmarks.Storage;

/// <summary>
/// The official SDKs (Azure.Data.Tables, Azure.Storage.Blobs) against Azurite (in memory, loopback) with the operations our
/// stores make: single upserts, 100-entity transactions, 8 KiB create-only and 4 MiB blob uploads, with default client
/// options, as the app uses them. Times and allocations are per entity or per blob. Until issue 13 this class also ran our
/// own clients side by side (commit f97d8ca; docs/benchmarks.md keeps that run's table).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class StorageThroughputBenchmarks
{
    private const int Batch = 100;
    private const string TableName = "bench";
    private const string ContainerName = "bench";

    // A JSON body the size of a normalised RTO scope record (≈ 1 KB), as the ingest mirror stores it.
    private static readonly string Json = RecordJson();

    private AzuriteServer? _azurite;
    private SdkTables.TableClient? _sdkTable;
    private SdkBlobs.BlobContainerClient? _sdkContainer;
    private BinaryData _tile = BinaryData.Empty;
    private BinaryData _snapshot = BinaryData.Empty;
    private int _round;

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    // Runs once per benchmark case, so each case starts on an empty Azurite.
    [GlobalSetup]
    public void StartAzurite() => StartAzuriteAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void StopAzurite() => _azurite?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task StartAzuriteAsync()
    {
        _azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        _sdkTable = new SdkTables.TableServiceClient(_azurite.ConnectionString).GetTableClient(TableName);
        await _sdkTable.CreateIfNotExistsAsync();
        _sdkContainer = new SdkBlobs.BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(ContainerName);
        await _sdkContainer.CreateIfNotExistsAsync();
        _tile = new BinaryData(Filled(8 * 1024));        // a full C2SP hash tile: 256 × 32 bytes
        _snapshot = new BinaryData(Filled(4 * 1024 * 1024));
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("table-upsert")]
    public async Task SdkTableUpsert()
    {
        var partition = NextPartition();
        for (var i = 0; i < Batch; i++)
        {
            await _sdkTable!.UpsertEntityAsync(SdkRecord(partition, i), SdkTables.TableUpdateMode.Replace);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("table-transaction-100")]
    public async Task SdkTableTransaction100()
    {
        var partition = NextPartition();
        var actions = new List<SdkTables.TableTransactionAction>(Batch);
        for (var i = 0; i < Batch; i++)
        {
            actions.Add(new SdkTables.TableTransactionAction(SdkTables.TableTransactionActionType.UpsertReplace, SdkRecord(partition, i)));
        }

        await _sdkTable!.SubmitTransactionAsync(actions);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("blob-upload-8KiB")]
    public async Task SdkBlobUpload8KiB()
    {
        var prefix = NextPartition();
        for (var i = 0; i < Batch; i++)
        {
            // Create-only, as the log and build stores write: If-None-Match: *.
            var options = new SdkBlobModels.BlobUploadOptions { Conditions = new SdkBlobModels.BlobRequestConditions { IfNoneMatch = global::Azure.ETag.All } };
            await _sdkContainer!.GetBlobClient(TileName(prefix, i)).UploadAsync(_tile, options);
        }
    }

    [Benchmark]
    [BenchmarkCategory("blob-upload-4MiB")]
    public async Task SdkBlobUpload4MiB() =>
        await _sdkContainer!.GetBlobClient(NextPartition() + "/snapshot").UploadAsync(_snapshot, overwrite: true);

    private string NextPartition() => "r" + Interlocked.Increment(ref _round).ToString("D8", CultureInfo.InvariantCulture);

    private static string TileName(string prefix, int i) => prefix + "/tile/" + i.ToString(CultureInfo.InvariantCulture);

    private static SdkTables.TableEntity SdkRecord(string partition, int i) => new(partition, RowKey(i))
    {
        ["RecordKey"] = RecordKey(i),
        ["Digest"] = Digest,
        ["Modified"] = Modified,
        ["Deleted"] = false,
        ["RunId"] = RunId,
        ["Json"] = Json,
    };

    private const string Digest = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string RunId = "run-20261205T000000Z-0001";
    private static readonly DateTimeOffset Modified = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    private static string RowKey(int i) => i.ToString("D5", CultureInfo.InvariantCulture);

    private static string RecordKey(int i) => "rto/90001/scope/BSB" + i.ToString("D5", CultureInfo.InvariantCulture);

    private static string RecordJson()
    {
        var json = new StringBuilder("{\"rto\":\"90001\",\"scope\":[");
        for (var i = 0; i < 8; i++)
        {
            json.Append(i == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"code\":\"BSB{40120 + i:D5}\",\"title\":\"Certificate IV in Business Administration\",")
                .Append("\"extent\":\"Deliver and assess\",\"startDate\":\"2024-01-01\",\"isImplicit\":false}");
        }

        return json.Append("]}").ToString();
    }

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
