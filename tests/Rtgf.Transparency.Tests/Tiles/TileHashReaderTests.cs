using Rtgf.Testing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tests.Support;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Tests.Tiles;

public sealed class TileHashReaderTests
{
    [Fact]
    public async Task Proofs_EveryIndexAndSizePairUpTo300_VerifyAgainstIndependentRoots()
    {
        // One entry per batch, so every size from 1 to 300 has a checkpoint and its partial tiles.
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        var integrator = new LogIntegrator(store, TestEntries.Origin, signer);
        var leaves = new List<byte[]>();
        for (var n = 0; n < 300; n++)
        {
            var entry = TestEntries.Entry("p", n);
            await integrator.IntegrateAsync([entry]);
            leaves.Add(MerkleHash.Leaf(entry.Span));
        }

        var hashes = new TileHashReader(new StoreObjectSource(store), new TileCache());
        var roots = new byte[301][];
        for (var size = 1; size <= 300; size++)
        {
            roots[size] = MerkleHash.Root(leaves.GetRange(0, size));
            Assert.Equal(roots[size], await hashes.RootAsync(size));
        }

        for (var size = 1; size <= 300; size++)
        {
            for (var index = 0; index < size; index++)
            {
                var proof = await hashes.InclusionProofAsync(index, size);
                var check = MerkleProofVerifier.VerifyInclusion(index, size, leaves[index], proof, roots[size]);
                Assert.True(check.IsValid, $"{index}@{size}: {check.Reason}");
            }
        }

        for (var size1 = 1; size1 <= 300; size1 += size1 < 40 ? 1 : 7)
        {
            for (var size2 = size1; size2 <= 300; size2++)
            {
                var proof = await hashes.ConsistencyProofAsync(size1, size2);
                var check = MerkleProofVerifier.VerifyConsistency(size1, size2, roots[size1], roots[size2], proof);
                Assert.True(check.IsValid, $"{size1}->{size2}: {check.Reason}");
            }
        }
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(42UL)]
    [InlineData(20260101UL)]
    public async Task Proofs_SeededRandomBatches_AllCheckpointsConsistentAndEveryEntryIncluded(ulong seed)
    {
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        var integrator = new LogIntegrator(store, TestEntries.Origin, signer);
        var random = new SeededRandom(seed);
        var entries = new List<ReadOnlyMemory<byte>>();
        var published = new List<Checkpoint>();
        while (entries.Count < 2500)
        {
            var batch = TestEntries.Batch("r" + seed, entries.Count, random.Next(1, 700));
            var result = await integrator.IntegrateAsync(batch);
            Assert.Equal(entries.Count, result.FirstIndex);
            entries.AddRange(batch);
            published.Add(result.Checkpoint);
        }

        await LogHarness.AssertConsistentAsync(store, published, entries);
    }

    [Fact]
    public async Task Tiles_70000EntriesInBatchesOf1000_ServeTheSpecTileSetAndLevel2()
    {
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        var integrator = new LogIntegrator(store, TestEntries.Origin, signer);
        var leaves = new List<byte[]>();
        IntegrationResult? last = null;
        for (var start = 0; start < 70_000; start += 1000)
        {
            var batch = TestEntries.Batch("big", start, 1000);
            last = await integrator.IntegrateAsync(batch);
            leaves.AddRange(batch.Select(e => MerkleHash.Leaf(e.Span)));
        }

        var paths = store.Paths.ToHashSet(StringComparer.Ordinal);
        foreach (var tile in TileLayout.TilesForSize(70_000))
        {
            Assert.Contains(tile.Path, paths);
        }

        Assert.Contains("tile/2/000.p/1", paths);
        Assert.Equal(MerkleHash.Root(leaves), last!.Checkpoint.RootHash.ToArray());

        var hashes = new TileHashReader(new StoreObjectSource(store), new TileCache());
        foreach (var index in new long[] { 0, 255, 256, 65_535, 65_536, 69_999 })
        {
            var proof = await hashes.InclusionProofAsync(index, 70_000);
            Assert.True(MerkleProofVerifier.VerifyInclusion(index, 70_000, leaves[(int)index], proof, last.Checkpoint.RootHash).IsValid);
        }
    }

    [Fact]
    public async Task ReadTileAsync_MissingTile_ThrowsLogObjectMissing()
    {
        var hashes = new TileHashReader(new StoreObjectSource(new InMemoryLogObjectStore()), new TileCache());

        var ex = await Assert.ThrowsAsync<LogObjectMissingException>(async () => await hashes.RootAsync(5));
        Assert.Equal("tile/0/000.p/5", ex.Path);
    }

    [Theory]
    [InlineData(-1, 5)]
    [InlineData(5, 5)]
    public async Task InclusionProofAsync_IndexOutsideTree_Throws(long index, long size)
    {
        var hashes = new TileHashReader(new StoreObjectSource(new InMemoryLogObjectStore()), new TileCache());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await hashes.InclusionProofAsync(index, size));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(6, 5)]
    public async Task ConsistencyProofAsync_BadSizes_Throws(long size1, long size2)
    {
        var hashes = new TileHashReader(new StoreObjectSource(new InMemoryLogObjectStore()), new TileCache());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await hashes.ConsistencyProofAsync(size1, size2));
    }
}
