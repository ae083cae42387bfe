using BenchmarkDotNet.Attributes;
using Rtgf.Core.Signing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Benchmarks.Transparency;

/// <summary>
/// Proofs served from cached tiles in a 1,000,000-entry log (bar: an inclusion proof under 5 ms). The log is built once by the
/// integrator in batches of 1000 and every tile is read into the cache before measuring; indexes step through the tree.
/// </summary>
[MemoryDiagnoser]
public class InclusionProofBenchmarks
{
    private const long TreeSize = 1_000_000;
    private LogReader? _reader;
    private byte[] _root = [];
    private long _next;

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "inclusion proof from cached tiles, 1M entries")]
    public async Task<int> InclusionProof()
    {
        var index = NextIndex();
        var proof = await _reader!.GetInclusionProofAsync(index, TreeSize);
        return proof.Count;
    }

    [Benchmark(Description = "inclusion proof + verification, 1M entries")]
    public async Task<bool> InclusionProofAndVerify()
    {
        var index = NextIndex();
        var proof = await _reader!.GetInclusionProofAsync(index, TreeSize);
        var leaf = await _reader.Hashes.LeafHashAsync(index, TreeSize);
        return MerkleProofVerifier.VerifyInclusion(index, TreeSize, leaf, proof, _root).IsValid;
    }

    [Benchmark(Description = "consistency proof from cached tiles, 1M entries")]
    public async Task<int> ConsistencyProof()
    {
        var proof = await _reader!.GetConsistencyProofAsync(NextIndex() + 1, TreeSize);
        return proof.Count;
    }

    private long NextIndex()
    {
        // A fixed stride co-prime with the size: deterministic, and it visits leaves all over the tree.
        _next = (_next + 7_919_311) % TreeSize;
        return _next;
    }

    private async Task SetupAsync()
    {
        using var signer = LocalDevelopmentSigner.Create();
        var store = new InMemoryLogObjectStore();
        var integrator = new LogIntegrator(store, "bench.rtgf/log", signer);
        IntegrationResult? last = null;
        for (var start = 0; start < TreeSize; start += 1000)
        {
            last = await integrator.IntegrateAsync(BenchEntries.Create(1000, start));
        }

        _root = last!.Checkpoint.RootHash.ToArray();
        _reader = new LogReader(new StoreObjectSource(store), new TileCache(capacity: 8192));
        for (long index = 0; index < TreeSize; index += TileLayout.Width)
        {
            await _reader.GetInclusionProofAsync(index, TreeSize); // warms every tile on the path of each level-0 tile
        }
    }
}
