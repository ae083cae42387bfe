using BenchmarkDotNet.Attributes;
using Rtgf.Core.Signing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;

namespace Rtgf.Benchmarks.Transparency;

/// <summary>
/// Integration throughput into <see cref="InMemoryLogObjectStore"/>: validate entries, write bundles and tiles, sign (in-memory ECDSA)
/// and swap one checkpoint per batch. Times are per batch: entries/s = BatchSize / Mean. The bar is ≥ 20,000 entries/s, i.e. a
/// 256-entry batch in ≤ 12.8 ms and a 1000-entry batch in ≤ 50 ms. Each iteration starts a fresh log and appends 64 batches to it.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(64)]
public class LogIntegrationBenchmarks : IDisposable
{
    private LocalDevelopmentSigner? _signer;
    private ReadOnlyMemory<byte>[] _entries = [];
    private LogIntegrator? _integrator;

    [Params(256, 1000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _signer = LocalDevelopmentSigner.Create();
        _entries = BenchEntries.Create(BatchSize);
    }

    public void Dispose()
    {
        _signer?.Dispose();
        GC.SuppressFinalize(this);
    }

    [IterationSetup]
    public void FreshLog() => _integrator = new LogIntegrator(new InMemoryLogObjectStore(), "bench.rtgf/log", _signer!);

    [Benchmark(Description = "integrate one batch")]
    public async Task<long> IntegrateBatch()
    {
        var result = await _integrator!.IntegrateAsync(_entries);
        return result.Checkpoint.Size;
    }
}
