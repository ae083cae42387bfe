using Azure.Storage.Blobs;
using BenchmarkDotNet.Attributes;
using Rtgf.Azure.Transparency;
using Rtgf.Core.Signing;
using Rtgf.Tooling;
using Rtgf.Transparency.Integration;

namespace Rtgf.Benchmarks.Transparency;

/// <summary>
/// Integration throughput into Blob storage (Azurite in memory, loopback) through <see cref="BlobLogObjectStore"/>: the same work as
/// <see cref="LogIntegrationBenchmarks"/> with every bundle, tile and checkpoint a real create-only or If-Match request.
/// Times are per batch: entries/s = BatchSize / Mean. The bar is ≥ 2,000 entries/s (a 1000-entry batch in ≤ 500 ms).
/// Each iteration starts a fresh log (a new blob prefix) and appends 16 batches to it.
/// <para>
/// <see cref="Writer"/>: <c>sole</c> integrates as the log's only writer (the fence and the proof before signing, no lease);
/// <c>held</c> holds the Blob writer lease across the iteration's batches, as a publication holds it across its chunks;
/// <c>lease</c> takes and releases the lease for every batch (the worst case: one-batch publications).
/// </para>
/// </summary>
[MemoryDiagnoser]
[InvocationCount(16)]
public class BlobLogIntegrationBenchmarks : IDisposable
{
    private AzuriteServer? _azurite;
    private BlobContainerClient? _container;
    private LocalDevelopmentSigner? _signer;
    private ReadOnlyMemory<byte>[] _entries = [];
    private LogIntegrator? _integrator;
    private BlobLogWriterLock? _lock;
    private LogWriterLease? _held;
    private int _log;

    [Params(256, 1000)]
    public int BatchSize { get; set; }

    [Params("sole", "held", "lease")]
    public string Writer { get; set; } = "sole";

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void Setup()
    {
        _azurite = AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot())).GetAwaiter().GetResult();
        _container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("benchlog");
        _container.CreateIfNotExistsAsync().GetAwaiter().GetResult();
        _signer = LocalDevelopmentSigner.Create();
        _entries = BenchEntries.Create(BatchSize);
    }

    [GlobalCleanup]
    public void Cleanup() => _azurite?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    public void Dispose()
    {
        _signer?.Dispose();
        GC.SuppressFinalize(this);
    }

    [IterationSetup]
    public void FreshLog()
    {
        var prefix = $"log{++_log}";
        _integrator = new LogIntegrator(new BlobLogObjectStore(_container!, prefix), "bench.rtgf/log", _signer!);
        _lock = new BlobLogWriterLock(_container!, Startup.BenchClock.System, prefix);
        _held = Writer == "held" ? LogWriterLease.AcquireAsync(_lock, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult() : null;
    }

    [IterationCleanup]
    public void ReleaseLease() => _held?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "integrate one batch into Azurite")]
    public async Task<long> IntegrateBatch()
    {
        if (Writer != "lease")
        {
            return (await _integrator!.IntegrateAsync(_entries, _held ?? LogWriterLease.SoleWriter)).Checkpoint.Size;
        }

        await using var lease = await LogWriterLease.AcquireAsync(_lock!, TimeSpan.FromSeconds(30));
        return (await _integrator!.IntegrateAsync(_entries, lease)).Checkpoint.Size;
    }
}
