using Rtgf.Core.Signing;
using Rtgf.Transparency.Audit;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tests.Support;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Tests.Audit;

/// <summary>
/// A real log of 3,000 entries written by <see cref="LogIntegrator"/> in five batches (sizes 300, 1000, 2000, 2900, 3000: eleven
/// full level-0 tiles, a partial one, a partial level-1 tile, and older partials of smaller widths still stored), copied for each
/// test and corrupted one way; each corruption must give its one finding at the object that holds it.
/// </summary>
public sealed class LogAuditorTests(AuditedLog log) : IClassFixture<AuditedLog>
{
    [Fact]
    public async Task AuditAsync_CleanLog_IsCleanAndChecksEveryObject()
    {
        var report = await log.AuditAsync(log.Store);

        Assert.Empty(report.Findings);
        Assert.True(report.IsClean);
        Assert.Equal(3000, report.Size);
        Assert.Equal(log.Checkpoints[^1].RootHashBase64, report.RootHash);
        Assert.Equal(report.RootHash, report.TilesRootHash);
        Assert.Equal(3000, report.EntriesChecked);
        Assert.Equal(13, report.TilesChecked); // 12 at level 0, 1 at level 1
        // Smaller stored partials: tile/0 and tile/entries at indexes 1, 3, 7 and 11 (p/84); tile/1/000.p/1, p/3, p/7.
        Assert.Equal(11, report.StoredPartialsChecked);
    }

    [Fact]
    public async Task AuditAsync_ReadsEveryStoredObjectExactlyOnce()
    {
        var counting = new CountingSource(log.Store);

        await new LogAuditor(counting, [log.Key], TestEntries.Origin, log.Store).AuditAsync();

        Assert.Equal(log.Store.Paths, counting.Reads.Keys.Order(StringComparer.Ordinal));
        Assert.All(counting.Reads, read => Assert.Equal(1, read.Value));
    }

    [Fact]
    public async Task AuditAsync_Level0FullTileByteFlipped_TileHashMismatchAtThatTile()
    {
        var store = await log.CopyAsync();
        await FlipAsync(store, "tile/0/005", (17 * MerkleHash.Size) + 3);

        var report = await log.AuditAsync(store);

        AssertFinding(report, LogAuditCodes.TileHashMismatch, "tile/0/005");
        Assert.Equal(
            "1 of its 256 hashes differ from the leaf hashes of the entries in 'tile/entries/005' (first: hash 17); the level above confirms the recomputed ones.",
            report.Findings[0].Message);
    }

    [Fact]
    public async Task AuditAsync_Level1TileByteFlipped_TileHashMismatchAtThatTile()
    {
        var store = await log.CopyAsync();
        await FlipAsync(store, "tile/1/000.p/11", (9 * MerkleHash.Size) + 31);

        var report = await log.AuditAsync(store);

        AssertFinding(report, LogAuditCodes.TileHashMismatch, "tile/1/000.p/11");
        Assert.Equal(log.Checkpoints[^1].RootHashBase64, report.RootHash);
        Assert.NotEqual(report.RootHash, report.TilesRootHash); // what a client's proofs would give
    }

    [Fact]
    public async Task AuditAsync_PartialTileSwappedForAnotherWritersTile_TileHashMismatchAndTheServedPrefixChanged()
    {
        var store = await log.CopyAsync();
        var other = new InMemoryLogObjectStore();
        using var signer = LocalDevelopmentSigner.Create();
        await new LogIntegrator(other, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("other", 0, 3000));
        await store.TamperAsync("tile/0/011.p/184", (await other.GetAsync("tile/0/011.p/184"))!.Content);

        var report = await log.AuditAsync(store);

        Assert.Equal(
            [(LogAuditCodes.TileHashMismatch, "tile/0/011.p/184"), (LogAuditCodes.ObjectChanged, "tile/0/011.p/84")],
            report.Findings.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => (f.Code, f.Path)));
    }

    [Fact]
    public async Task AuditAsync_EntryChangedInAFullBundle_EntryLeafMismatchAtTheBundle()
    {
        var store = await log.CopyAsync();
        var entries = EntryBundle.Decode((await store.GetAsync("tile/entries/004"))!.Content).ToList();
        entries[10] = TestEntries.Entry("forged", 1034);
        await store.TamperAsync("tile/entries/004", EntryBundle.Encode(entries));

        var report = await log.AuditAsync(store);

        AssertFinding(report, LogAuditCodes.EntryLeafMismatch, "tile/entries/004");
        Assert.Contains("(first: entry 1034)", report.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditAsync_EntryChangedInThePartialBundle_EntryLeafMismatchConfirmedByTheCheckpoint()
    {
        var store = await log.CopyAsync();
        var entries = EntryBundle.Decode((await store.GetAsync("tile/entries/011.p/184"))!.Content).ToList();
        entries[150] = TestEntries.Entry("forged", 2966);
        await store.TamperAsync("tile/entries/011.p/184", EntryBundle.Encode(entries));

        var report = await log.AuditAsync(store);

        AssertFinding(report, LogAuditCodes.EntryLeafMismatch, "tile/entries/011.p/184");
        Assert.EndsWith("which the checkpoint confirms.", report.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditAsync_CheckpointSignedByAnotherKey_CheckpointSignatureOnly()
    {
        var store = await log.CopyAsync();
        using var other = LocalDevelopmentSigner.Create();
        var forged = await new NoteSigner(TestEntries.Origin, other).SignAsync(log.Checkpoints[^1].ToText());
        await store.TamperAsync(TileLayout.CheckpointPath, System.Text.Encoding.UTF8.GetBytes(forged));

        var report = await log.AuditAsync(store);

        AssertFinding(report, LogAuditCodes.CheckpointSignature, TileLayout.CheckpointPath);
        Assert.Equal(3000, report.EntriesChecked); // the tiles are still audited against the unverified body
    }

    [Fact]
    public async Task AuditAsync_CheckpointForAnotherOrigin_CheckpointOrigin()
    {
        var report = await new LogAuditor(new StoreObjectSource(log.Store), [log.Key], "rtgf.test/another-log", log.Store).AuditAsync();

        AssertFinding(report, LogAuditCodes.CheckpointOrigin, TileLayout.CheckpointPath);
    }

    [Fact]
    public async Task AuditAsync_TheIncidentWedge_OneWritersEntryAndTileOtherWritersCheckpoint_RootMismatch()
    {
        // Two publishers on an empty log, one signing key: A's entry bundle and tile, B's checkpoint (the issue 12 incident).
        using var signer = LocalDevelopmentSigner.Create();
        var (a, b) = (new InMemoryLogObjectStore(), new InMemoryLogObjectStore());
        await new LogIntegrator(a, TestEntries.Origin, signer).IntegrateAsync([TestEntries.Entry("publisher-a", 0)]);
        var signedByB = await new LogIntegrator(b, TestEntries.Origin, signer).IntegrateAsync([TestEntries.Entry("publisher-b", 0)]);
        var wedged = new InMemoryLogObjectStore();
        foreach (var path in new[] { "tile/0/000.p/1", "tile/entries/000.p/1" })
        {
            await wedged.CreateAsync(path, (await a.GetAsync(path))!.Content);
        }

        await wedged.CreateAsync(TileLayout.CheckpointPath, (await b.GetAsync(TileLayout.CheckpointPath))!.Content);
        var key = NoteVerifierKey.ForEcdsa(TestEntries.Origin, signer.PublicKey);

        var report = await new LogAuditor(new StoreObjectSource(wedged), [key], TestEntries.Origin, wedged).AuditAsync();

        AssertFinding(report, LogAuditCodes.RootMismatch, TileLayout.CheckpointPath);
        var leafA = Convert.ToBase64String(MerkleHash.Leaf(TestEntries.Entry("publisher-a", 0).Span));
        Assert.Equal(signedByB.Checkpoint.RootHashBase64, report.RootHash);
        Assert.Equal(leafA, report.TilesRootHash);
        Assert.Equal(
            $"The checkpoint signs root {signedByB.Checkpoint.RootHashBase64} for size 1, but the stored tiles give {leafA} and the levels below them give {leafA}.",
            report.Findings[0].Message);
        await Assert.ThrowsAsync<LogCorruptionException>(() => new LogIntegrator(wedged, TestEntries.Origin, signer).LoadAsync());
    }

    [Fact]
    public async Task AuditAsync_WedgeDeepInTheLog_RootMismatchOnly()
    {
        // The size-192 variant: a shared history of 191 entries, then each publisher adds one; A's objects, B's checkpoint.
        using var signer = LocalDevelopmentSigner.Create();
        var (a, b) = (new InMemoryLogObjectStore(), new InMemoryLogObjectStore());
        foreach (var store in new[] { a, b })
        {
            await new LogIntegrator(store, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("shared", 0, 191));
        }

        await new LogIntegrator(a, TestEntries.Origin, signer).IntegrateAsync([TestEntries.Entry("publisher-a", 191)]);
        await new LogIntegrator(b, TestEntries.Origin, signer).IntegrateAsync([TestEntries.Entry("publisher-b", 191)]);
        await a.TamperAsync(TileLayout.CheckpointPath, (await b.GetAsync(TileLayout.CheckpointPath))!.Content);

        var report = await new LogAuditor(new StoreObjectSource(a), [NoteVerifierKey.ForEcdsa(TestEntries.Origin, signer.PublicKey)], TestEntries.Origin, a).AuditAsync();

        AssertFinding(report, LogAuditCodes.RootMismatch, TileLayout.CheckpointPath);
        Assert.Equal(2, report.StoredPartialsChecked); // tile/0/000.p/191 and its bundle are prefixes of A's objects
    }

    [Fact]
    public async Task AuditAsync_AnotherWritersFullTileAndBundle_SubtreeMismatchAtThatTile()
    {
        // Both logs share entries 0..255; entries 256..599 differ. Ours gets the other's consistent tile/0/001 and its bundle.
        using var signer = LocalDevelopmentSigner.Create();
        var (ours, theirs) = (new InMemoryLogObjectStore(), new InMemoryLogObjectStore());
        foreach (var (store, tag) in new[] { (ours, "ours"), (theirs, "theirs") })
        {
            await new LogIntegrator(store, TestEntries.Origin, signer).IntegrateAsync([.. TestEntries.Batch("shared", 0, 256), .. TestEntries.Batch(tag, 256, 344)]);
        }

        foreach (var path in new[] { "tile/0/001", "tile/entries/001" })
        {
            await ours.TamperAsync(path, (await theirs.GetAsync(path))!.Content);
        }

        var report = await new LogAuditor(new StoreObjectSource(ours), [NoteVerifierKey.ForEcdsa(TestEntries.Origin, signer.PublicKey)], TestEntries.Origin, ours).AuditAsync();

        AssertFinding(report, LogAuditCodes.SubtreeMismatch, "tile/0/001");
        Assert.Contains("hash 1 of 'tile/1/000.p/2', which the checkpoint confirms", report.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditAsync_FullTileMissing_TileMissing()
    {
        var store = await log.CopyAsync(except: "tile/0/002");

        var report = await log.AuditAsync(store);

        AssertFinding(report, LogAuditCodes.TileMissing, "tile/0/002");
    }

    [Fact]
    public async Task AuditAsync_BundleMissingAndTileTruncated_BothReported()
    {
        var store = await log.CopyAsync(except: "tile/entries/009");
        await store.TamperAsync("tile/0/006", (await store.GetAsync("tile/0/006"))!.Content[..100]);

        var report = await log.AuditAsync(store);

        Assert.Equal(
            [(LogAuditCodes.TileWidth, "tile/0/006"), (LogAuditCodes.EntryBundleMissing, "tile/entries/009")],
            report.Findings.Select(f => (f.Code, f.Path)));
    }

    [Fact]
    public async Task AuditAsync_StoredPartialOfSmallerWidthChanged_ObjectChanged()
    {
        var store = await log.CopyAsync();
        await FlipAsync(store, "tile/0/011.p/84", 40);
        var bundle = EntryBundle.Decode((await store.GetAsync("tile/entries/003.p/232"))!.Content).ToList();
        bundle[0] = TestEntries.Entry("rewritten", 768);
        await store.TamperAsync("tile/entries/003.p/232", EntryBundle.Encode(bundle));

        var report = await log.AuditAsync(store);

        Assert.Equal(
            [(LogAuditCodes.ObjectChanged, "tile/0/011.p/84"), (LogAuditCodes.ObjectChanged, "tile/entries/003.p/232")],
            report.Findings.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => (f.Code, f.Path)));
    }

    [Fact]
    public async Task AuditAsync_WithoutALister_SkipsTheImmutabilityCheck()
    {
        var store = await log.CopyAsync();
        await FlipAsync(store, "tile/0/011.p/84", 40);

        var report = await new LogAuditor(new StoreObjectSource(store), [log.Key], TestEntries.Origin).AuditAsync();

        Assert.True(report.IsClean);
        Assert.Equal(0, report.StoredPartialsChecked);
    }

    [Fact]
    public async Task AuditAsync_PreviousCheckpointOfThisLog_Consistent()
    {
        var report = await log.AuditAsync(log.Store, log.Notes[1]);

        Assert.True(report.IsClean);
    }

    [Fact]
    public async Task AuditAsync_PreviousCheckpointOfAFork_PreviousInconsistent()
    {
        var fork = new InMemoryLogObjectStore();
        var forked = await new LogIntegrator(fork, TestEntries.Origin, log.Signer).IntegrateAsync(TestEntries.Batch("fork", 0, 1000));

        var report = await log.AuditAsync(log.Store, forked.CheckpointNote);

        AssertFinding(report, LogAuditCodes.PreviousInconsistent, TileLayout.CheckpointPath);
        Assert.EndsWith("the consistency proof does not lead to the old root.", report.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditAsync_PreviousCheckpointLargerOrUnsigned_Reported()
    {
        var store = await log.CopyAsync();
        await store.TamperAsync(TileLayout.CheckpointPath, System.Text.Encoding.UTF8.GetBytes(log.Notes[2]));
        using var other = LocalDevelopmentSigner.Create();
        var unsigned = await new NoteSigner(TestEntries.Origin, other).SignAsync(log.Checkpoints[1].ToText());

        var larger = await log.AuditAsync(store, log.Notes[^1]);
        var invalid = await log.AuditAsync(log.Store, unsigned);

        AssertFinding(larger, LogAuditCodes.PreviousInconsistent, TileLayout.CheckpointPath);
        Assert.Contains("the log went back", larger.Findings[0].Message, StringComparison.Ordinal);
        AssertFinding(invalid, LogAuditCodes.PreviousInvalid, TileLayout.CheckpointPath);
    }

    [Fact]
    public async Task AuditAsync_ManyFindings_AllCountedUpToTheCap()
    {
        var store = await log.CopyAsync();
        for (var tile = 0; tile < 11; tile++)
        {
            await FlipAsync(store, TileLayout.TilePath(0, tile, TileLayout.Width), 255 * MerkleHash.Size); // beyond every stored partial's width
        }

        var all = await log.AuditAsync(store);
        var capped = await new LogAuditor(new StoreObjectSource(store), [log.Key], TestEntries.Origin, store, maxFindings: 4).AuditAsync();

        Assert.Equal(11, all.Findings.Count);
        Assert.All(all.Findings, f => Assert.Equal(LogAuditCodes.TileHashMismatch, f.Code));
        Assert.Equal(4, capped.Findings.Count);
        Assert.Equal(11, capped.FindingCount);
        Assert.True(capped.IsTruncated);
    }

    [Fact]
    public async Task AuditAsync_NoCheckpoint_EmptyLogIsClean_ObjectsWithoutCheckpointAreNot()
    {
        var empty = new InMemoryLogObjectStore();
        var orphaned = await log.CopyAsync(except: TileLayout.CheckpointPath);

        var emptyReport = await log.AuditAsync(empty);
        var orphanedReport = await log.AuditAsync(orphaned);

        Assert.True(emptyReport.IsClean);
        Assert.False(emptyReport.HasCheckpoint);
        AssertFinding(orphanedReport, LogAuditCodes.CheckpointMissing, TileLayout.CheckpointPath);
    }

    private static void AssertFinding(LogAuditReport report, string code, string path)
    {
        Assert.Equal([(code, path)], report.Findings.Select(f => (f.Code, f.Path)));
        Assert.False(report.IsClean);
    }

    private static async Task FlipAsync(InMemoryLogObjectStore store, string path, int offset)
    {
        var bytes = (await store.GetAsync(path))!.Content.ToArray();
        bytes[offset] ^= 0x01;
        await store.TamperAsync(path, bytes);
    }

    private sealed class CountingSource(ILogObjectStore store) : ILogObjectSource
    {
        public Dictionary<string, int> Reads { get; } = new(StringComparer.Ordinal);

        public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken = default)
        {
            Reads[path] = Reads.GetValueOrDefault(path) + 1;
            return (await store.GetAsync(path, cancellationToken))?.Content;
        }
    }
}

/// <summary>The audited log, built once for the class.</summary>
public sealed class AuditedLog : IAsyncLifetime
{
    private readonly LocalDevelopmentSigner _signer = LocalDevelopmentSigner.Create();

    public InMemoryLogObjectStore Store { get; } = new();

    public ISigner Signer => _signer;

    public NoteVerifierKey Key { get; private set; } = null!;

    public List<Checkpoint> Checkpoints { get; } = [];

    public List<string> Notes { get; } = [];

    public async Task InitializeAsync()
    {
        var integrator = new LogIntegrator(Store, TestEntries.Origin, _signer);
        Key = integrator.VerifierKey;
        var size = 0;
        foreach (var next in new[] { 300, 1000, 2000, 2900, 3000 })
        {
            var result = await integrator.IntegrateAsync(TestEntries.Batch("audit", size, next - size));
            Checkpoints.Add(result.Checkpoint);
            Notes.Add(result.CheckpointNote);
            size = next;
        }
    }

    public Task<LogAuditReport> AuditAsync(InMemoryLogObjectStore store, string? previous = null) =>
        new LogAuditor(new StoreObjectSource(store), [Key], TestEntries.Origin, store).AuditAsync(previous);

    /// <summary>A copy of the log to corrupt, without <paramref name="except"/>.</summary>
    public async Task<InMemoryLogObjectStore> CopyAsync(string? except = null)
    {
        var copy = new InMemoryLogObjectStore();
        foreach (var path in Store.Paths.Where(p => p != except))
        {
            await copy.CreateAsync(path, (await Store.GetAsync(path))!.Content);
        }

        return copy;
    }

    public Task DisposeAsync()
    {
        _signer.Dispose();
        return Task.CompletedTask;
    }
}
