using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tests.Support;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Tests.Tiles;

public sealed class LogReaderTests
{
    [Fact]
    public async Task Reader_AfterIntegration_ServesCheckpointTilesBundlesAndEntries()
    {
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        var integrator = new LogIntegrator(store, TestEntries.Origin, signer);
        var batch = TestEntries.Batch("reader", 0, 300);
        await integrator.IntegrateAsync(batch);
        var reader = new LogReader(new StoreObjectSource(store));

        var verified = await reader.ReadVerifiedCheckpointAsync([integrator.VerifierKey], TestEntries.Origin);
        Assert.True(verified.IsValid, verified.Reason);
        Assert.Equal(300, verified.Checkpoint!.Size);

        Assert.Equal(256 * 32, (await reader.ReadTileAsync(0, 0, 256))!.Value.Length);
        Assert.Equal(44 * 32, (await reader.ReadTileAsync(0, 1, 44))!.Value.Length);
        Assert.Null(await reader.ReadTileAsync(0, 2, 256));
        Assert.Equal(44, EntryBundle.Decode((await reader.ReadEntryBundleAsync(1, 44))!.Value).Count);
        Assert.Equal(batch[299].ToArray(), (await reader.GetEntryAsync(299, 300)).ToArray());
        Assert.Equal(batch[7].ToArray(), (await reader.GetEntryAsync(7, 300)).ToArray());
    }

    [Fact]
    public async Task Reader_PartialTilesDeleted_FallsBackToTheFullTiles()
    {
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        var integrator = new LogIntegrator(store, TestEntries.Origin, signer);
        var first = await integrator.IntegrateAsync(TestEntries.Batch("f", 0, 200));
        await integrator.IntegrateAsync(TestEntries.Batch("f", 200, 100));
        var reader = new LogReader(new WithoutPartials(store));

        Assert.Equal(first.Checkpoint.RootHash.ToArray(), await reader.GetRootAsync(200));
        Assert.Equal(TestEntries.Entry("f", 150).ToArray(), (await reader.GetEntryAsync(150, 200)).ToArray());
        var proof = await reader.GetInclusionProofAsync(3, 200);
        Assert.True(MerkleProofVerifier.VerifyInclusion(3, 200, MerkleHash.Leaf(TestEntries.Entry("f", 3).Span), proof, first.Checkpoint.RootHash).IsValid);
    }

    [Fact]
    public async Task ReadVerifiedCheckpointAsync_EmptyLog_IsInvalid()
    {
        var reader = new LogReader(new StoreObjectSource(new InMemoryLogObjectStore()));

        var result = await reader.ReadVerifiedCheckpointAsync(Array.Empty<NoteVerifierKey>());

        Assert.False(result.IsValid);
        Assert.Equal("the log has no checkpoint", result.Reason);
    }

    private sealed class WithoutPartials(ILogObjectStore store) : ILogObjectSource
    {
        public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken = default) =>
            path.Contains(".p/", StringComparison.Ordinal) ? null : (await store.GetAsync(path, cancellationToken))?.Content;
    }
}
