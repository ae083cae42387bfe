using System.Text;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Entries;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tests.Support;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Tests.Integration;

public sealed class LogIntegratorTests
{
    [Fact]
    public async Task IntegrateAsync_TwoBatches_ContiguousIndexesOneSignatureEach()
    {
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        var integrator = new LogIntegrator(store, TestEntries.Origin, signer);

        var first = await integrator.IntegrateAsync(TestEntries.Batch("a", 0, 3));
        var second = await integrator.IntegrateAsync(TestEntries.Batch("a", 3, 2));

        Assert.Equal([0L, 1, 2], first.Indexes);
        Assert.Equal([3L, 4], second.Indexes);
        Assert.Equal(5, second.Checkpoint.Size);
        Assert.Equal(3, signer.Calls); // the size-0 checkpoint that fences the empty log, then one per batch
        Assert.Equal(second.CheckpointNote, Encoding.UTF8.GetString((await store.GetAsync("checkpoint"))!.Content.Span));
        Assert.True(CheckpointVerifier.Verify(second.CheckpointNote, [integrator.VerifierKey], TestEntries.Origin).IsValid);
        await LogHarness.AssertConsistentAsync(store, [first.Checkpoint, second.Checkpoint], [.. TestEntries.Batch("a", 0, 5)]);
    }

    [Fact]
    public async Task LoadAsync_EmptyStore_SizeZeroUnpublished()
    {
        using var signer = new TestSigner();
        var state = await new LogIntegrator(new InMemoryLogObjectStore(), TestEntries.Origin, signer).LoadAsync();

        Assert.Equal(0, state.Checkpoint.Size);
        Assert.Null(state.Version);
        Assert.Null(state.Note);
    }

    [Fact]
    public async Task IntegrateAsync_InvalidOrEmptyBatch_ThrowsAndWritesNothing()
    {
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        var integrator = new LogIntegrator(store, TestEntries.Origin, signer);

        await Assert.ThrowsAsync<InvalidLogEntryException>(() => integrator.IntegrateAsync([TestEntries.Entry("x", 0), Encoding.UTF8.GetBytes("{\"type\":\"nope\"}")]));
        await Assert.ThrowsAsync<ArgumentException>(() => integrator.IntegrateAsync([]));
        Assert.Empty(store.Paths);
    }

    [Fact]
    public async Task IntegrateAsync_AnotherWriterSwapsFirst_ThrowsConflictAndPublishesNothing()
    {
        using var signer = new TestSigner();
        var inner = new InMemoryLogObjectStore();
        await new LogIntegrator(inner, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("base", 0, 10));
        var rival = new LogIntegrator(inner, TestEntries.Origin, signer);
        var racing = new BeforeSwapStore(inner, () => rival.IntegrateAsync(TestEntries.Batch("rival", 10, 5)));
        var loser = new LogIntegrator(racing, TestEntries.Origin, signer);

        await Assert.ThrowsAsync<LogConflictException>(() => loser.IntegrateAsync(TestEntries.Batch("loser", 10, 20)));

        var state = await new LogIntegrator(inner, TestEntries.Origin, signer).LoadAsync();
        Assert.Equal(15, state.Checkpoint.Size);
    }

    [Fact]
    public async Task LoadAsync_RightEdgeTileTampered_ThrowsCorruption()
    {
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        await new LogIntegrator(store, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("t", 0, 300));
        // The right edge (the partial tiles the integrator extends) is fully covered by the root check.
        var tile = (await store.GetAsync("tile/0/001.p/44"))!.Content.ToArray();
        tile[5] ^= 1;
        await store.TamperAsync("tile/0/001.p/44", tile);

        var ex = await Assert.ThrowsAsync<LogCorruptionException>(() => new LogIntegrator(store, TestEntries.Origin, signer).LoadAsync());
        Assert.Contains("different root", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_CheckpointSignedByAnotherKey_ThrowsCorruption()
    {
        using var signer = new TestSigner();
        using var other = new TestSigner();
        var store = new InMemoryLogObjectStore();
        await new LogIntegrator(store, TestEntries.Origin, other).IntegrateAsync(TestEntries.Batch("k", 0, 3));

        var ex = await Assert.ThrowsAsync<LogCorruptionException>(() => new LogIntegrator(store, TestEntries.Origin, signer).LoadAsync());
        Assert.Contains("no signature from a known key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntegrateAsync_PartialEntryBundleTampered_ThrowsCorruption()
    {
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        await new LogIntegrator(store, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("b", 0, 5));
        await store.TamperAsync("tile/entries/000.p/5", EntryBundle.Encode(TestEntries.Batch("evil", 0, 5)));

        var ex = await Assert.ThrowsAsync<LogCorruptionException>(() => new LogIntegrator(store, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("b", 5, 1)));
        Assert.Contains("does not match its published leaf hash", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntegrateAsync_TilesMissingForPublishedCheckpoint_ThrowsCorruption()
    {
        using var signer = new TestSigner();
        var store = new InMemoryLogObjectStore();
        var published = await new LogIntegrator(store, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("m", 0, 5));
        var bare = new InMemoryLogObjectStore();
        await bare.SwapAsync("checkpoint", Encoding.UTF8.GetBytes(published.CheckpointNote), null);

        var ex = await Assert.ThrowsAsync<LogCorruptionException>(() => new LogIntegrator(bare, TestEntries.Origin, signer).LoadAsync());
        Assert.Contains("tile/0/000.p/5", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<bool, bool> CrashModes() => new()
    {
        { false, false },
        { false, true },
        { true, false },
        { true, true },
    };

    /// <summary>
    /// Crashes the second integration at every one of its writes (before or after the write lands), then lets a fresh integrator
    /// load the log and integrate the same batch again or a different one.
    /// </summary>
    [Theory]
    [MemberData(nameof(CrashModes))]
    public async Task IntegrateAsync_CrashAtEveryWrite_FreshIntegratorLoadsAndContinuesConsistently(bool failAfterWrite, bool sameBatchAgain)
    {
        using var signer = new TestSigner();
        var initial = TestEntries.Batch("init", 0, 300);
        var batch = TestEntries.Batch("crash", 300, 600);
        var retry = sameBatchAgain ? batch : TestEntries.Batch("other", 300, 450);

        var counting = new FaultInjectingStore(new InMemoryLogObjectStore());
        await new LogIntegrator(counting, TestEntries.Origin, signer).IntegrateAsync(initial);
        var before = counting.Writes;
        await new LogIntegrator(counting, TestEntries.Origin, signer).IntegrateAsync(batch);
        var writes = counting.Writes - before;
        Assert.Equal(9, writes); // the fence, 3 entry bundles, 3 level-0 tiles, 1 level-1 tile, the checkpoint.

        for (var k = 1; k <= writes; k++)
        {
            var inner = new InMemoryLogObjectStore();
            var first = await new LogIntegrator(inner, TestEntries.Origin, signer).IntegrateAsync(initial);
            var faulty = new FaultInjectingStore(inner) { FailAt = k, FailAfterWrite = failAfterWrite };

            await Assert.ThrowsAsync<SimulatedCrashException>(() => new LogIntegrator(faulty, TestEntries.Origin, signer).IntegrateAsync(batch));

            var fresh = new LogIntegrator(inner, TestEntries.Origin, signer);
            var loaded = await fresh.LoadAsync();
            var crashPublished = loaded.Checkpoint.Size != 300;
            Assert.Equal(failAfterWrite && k == writes, crashPublished);

            var again = await fresh.IntegrateAsync(retry);
            var published = new List<Checkpoint> { first.Checkpoint };
            var expected = new List<ReadOnlyMemory<byte>>(initial);
            if (crashPublished)
            {
                published.Add(loaded.Checkpoint);
                expected.AddRange(batch);
            }

            published.Add(again.Checkpoint);
            expected.AddRange(retry);
            Assert.Equal(expected.Count - retry.Count, again.FirstIndex);
            await LogHarness.AssertConsistentAsync(inner, published, expected);
        }
    }

    [Fact]
    public async Task IntegrateAsync_SameIntegratorAfterItsCrashAndAnotherWritersBatch_ContinuesOnTheOtherWritersTiles()
    {
        using var signer = new TestSigner();
        var inner = new InMemoryLogObjectStore();
        var first = await new LogIntegrator(inner, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("s", 0, 10));
        var faulty = new FaultInjectingStore(inner) { FailAt = 4 }; // the fence, bundle, level-0 tile, then the checkpoint swap
        var survivor = new LogIntegrator(faulty, TestEntries.Origin, signer);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => survivor.IntegrateAsync(TestEntries.Batch("lost", 10, 20)));

        // Another writer replaces the unpublished leftovers (same paths, different bytes) and publishes.
        var other = await new LogIntegrator(inner, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("won", 10, 20));
        faulty.FailAt = 0;
        var next = await survivor.IntegrateAsync(TestEntries.Batch("s", 30, 5));

        Assert.Equal(30, next.FirstIndex);
        await LogHarness.AssertConsistentAsync(
            inner, [first.Checkpoint, other.Checkpoint, next.Checkpoint], [.. TestEntries.Batch("s", 0, 10), .. TestEntries.Batch("won", 10, 20), .. TestEntries.Batch("s", 30, 5)]);
    }

    private sealed class BeforeSwapStore(ILogObjectStore inner, Func<Task> beforeSwap) : ILogObjectStore
    {
        public ValueTask<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default) => inner.GetAsync(path, cancellationToken);

        public ValueTask<bool> CreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
            inner.CreateAsync(path, content, cancellationToken);

        public async ValueTask<string?> SwapAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken = default)
        {
            await beforeSwap();
            return await inner.SwapAsync(path, content, expectedVersion, cancellationToken);
        }
    }
}
