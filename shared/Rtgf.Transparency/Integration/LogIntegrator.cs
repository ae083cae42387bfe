using Rtgf.Core.Signing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Entries;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Integration;

/// <summary>
/// Appends batches to the log: entry bundles and tiles (all levels, full and partial) are written create-only, then one checkpoint
/// per batch is signed and published by compare-and-swap (docs/spec/log-format.md, "Writers").
/// <para>
/// One writer at a time: writers that may run beside each other pass a <see cref="LogWriterLease"/> from a shared
/// <see cref="ILogWriterLock"/> (a Blob lease), renewed before every write. Safety does not rest on the lease's timing alone:
/// <list type="bullet">
/// <item>Each integration first fences the checkpoint (rewrites it by compare-and-swap, or publishes a signed size-0 checkpoint on an
/// empty log), so a writer that loaded it earlier and resumes late can no longer swap it.</item>
/// <item>Objects beyond the published tree that a create finds already there (leftovers of an integration that never published) are
/// taken over by compare-and-swap on the version read, identical bytes included, so a stalled writer's write still in flight cannot
/// land on them later.</item>
/// <item>Nothing is signed that is not proven: every object written is read back and compared, and the root is recomputed from the
/// tiles as stored, before the checkpoint is signed.</item>
/// </list>
/// An object covered by the published checkpoint is never rewritten: different bytes there are corruption, reported, never repaired.
/// </para>
/// </summary>
public sealed class LogIntegrator
{
    private readonly ILogObjectStore _store;
    private readonly NoteSigner _signer;
    private readonly TileHashReader _hashes;
    private readonly IReadOnlyList<NoteVerifierKey> _ownKey;
    private LogState? _trusted;

    /// <summary>
    /// An integrator for the log at <paramref name="store"/> whose identity is <paramref name="origin"/>, also its note key name
    /// (a schema-less URL such as <c>rtgf.example/log</c>).
    /// </summary>
    public LogIntegrator(ILogObjectStore store, string origin, ISigner signer, TileCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _signer = new NoteSigner(origin, signer);
        _ownKey = [_signer.VerifierKey];
        _hashes = new TileHashReader(new StoreObjectSource(store), cache ?? new TileCache());
        Origin = origin;
    }

    public string Origin { get; }

    public NoteVerifierKey VerifierKey => _signer.VerifierKey;

    /// <summary>
    /// Reads the published checkpoint, verifies its signature with the log's own key and that the stored tiles reproduce its root.
    /// </summary>
    public async Task<LogState> LoadAsync(CancellationToken cancellationToken = default)
    {
        var stored = await _store.GetAsync(TileLayout.CheckpointPath, cancellationToken);
        if (stored is null)
        {
            return new LogState(new Checkpoint(Origin, 0, MerkleHash.EmptyRoot), null, null);
        }

        if (_trusted is not null && string.Equals(_trusted.Version, stored.Version, StringComparison.Ordinal))
        {
            return _trusted; // The checkpoint this integrator published itself, already checked.
        }

        var note = System.Text.Encoding.UTF8.GetString(stored.Content.Span);
        var verification = CheckpointVerifier.Verify(note, _ownKey, Origin);
        if (!verification.IsValid)
        {
            throw new LogCorruptionException($"The stored checkpoint does not verify with the log's key: {verification.Reason}.");
        }

        var checkpoint = verification.Checkpoint!;
        byte[] root;
        try
        {
            root = await _hashes.RootAsync(checkpoint.Size, cancellationToken);
        }
        catch (Exception ex) when (ex is LogObjectMissingException or FormatException)
        {
            throw new LogCorruptionException($"The tiles for the checkpoint of size {checkpoint.Size} cannot be read: {ex.Message}", ex);
        }

        if (!root.AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            throw new LogCorruptionException(
                $"The stored tiles give a different root for size {checkpoint.Size} ({Convert.ToBase64String(root)}) than the signed checkpoint " +
                $"({checkpoint.RootHashBase64}); `rtgf log audit` or GET /ops/log/audit names the objects that disagree (docs/runbooks/log-recovery.md).");
        }

        _trusted = new LogState(checkpoint, note, stored.Version);
        return _trusted;
    }

    /// <summary>Appends <paramref name="entries"/> as the log's only writer (<see cref="LogWriterLease.SoleWriter"/>).</summary>
    public Task<IntegrationResult> IntegrateAsync(IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken cancellationToken = default) =>
        IntegrateAsync(entries, LogWriterLease.SoleWriter, cancellationToken);

    /// <summary>Appends <paramref name="entries"/> (each validated) under <paramref name="lease"/> and publishes one checkpoint covering them.</summary>
    /// <exception cref="LogConflictException">Another writer published or wrote first; nothing of this batch was published.</exception>
    /// <exception cref="LogLeaseLostException">The lease was lost; nothing of this batch was published.</exception>
    /// <exception cref="LogCorruptionException">The stored log contradicts its checkpoint.</exception>
    public async Task<IntegrationResult> IntegrateAsync(
        IReadOnlyList<ReadOnlyMemory<byte>> entries, LogWriterLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(lease);
        if (entries.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one entry.", nameof(entries));
        }

        foreach (var entry in entries)
        {
            LogEntryValidator.Validate(entry);
        }

        var state = await LoadAsync(cancellationToken);
        var written = new List<(string Path, byte[] Content)>();
        try
        {
            state = await FenceAsync(state, lease, cancellationToken);
            return await IntegrateAsync(entries, state, lease, written, cancellationToken);
        }
        catch
        {
            // Nothing written here was published; another writer may replace it, so the cache must not keep our version.
            foreach (var (path, _) in written)
            {
                _hashes.Forget(path);
            }

            throw;
        }
    }

    /// <summary>
    /// Rewrites the published checkpoint by compare-and-swap (same bytes, new version), or publishes a signed size-0 checkpoint on
    /// an empty log, so that every writer that read the checkpoint before this one started fails its final swap.
    /// </summary>
    private async Task<LogState> FenceAsync(LogState state, LogWriterLease lease, CancellationToken cancellationToken)
    {
        await lease.EnsureHeldAsync(cancellationToken);
        var note = state.Note ?? await _signer.SignAsync(state.Checkpoint.ToText(), cancellationToken);
        var version = await _store.SwapAsync(TileLayout.CheckpointPath, System.Text.Encoding.UTF8.GetBytes(note), state.Version, cancellationToken)
            ?? throw new LogConflictException($"The checkpoint of size {state.Checkpoint.Size} moved before this writer could fence it; nothing was written.");
        _trusted = new LogState(state.Checkpoint, note, version);
        return _trusted;
    }

    private async Task<IntegrationResult> IntegrateAsync(
        IReadOnlyList<ReadOnlyMemory<byte>> entries, LogState state, LogWriterLease lease, List<(string Path, byte[] Content)> written, CancellationToken cancellationToken)
    {
        var oldSize = state.Checkpoint.Size;
        var newSize = checked(oldSize + entries.Count);

        await WriteEntryBundlesAsync(entries, oldSize, newSize, lease, written, cancellationToken);
        await WriteTilesAsync(entries, oldSize, newSize, lease, written, cancellationToken);

        var root = await _hashes.RootAsync(newSize, cancellationToken);
        if (oldSize > 0)
        {
            // Consistent by construction (the new tiles extend the verified old ones); checked anyway, since signing an inconsistent
            // checkpoint is the one thing a log must never do.
            var proof = await _hashes.ConsistencyProofAsync(oldSize, newSize, cancellationToken);
            var check = MerkleProofVerifier.VerifyConsistency(oldSize, newSize, state.Checkpoint.RootHash, root, proof);
            if (!check.IsValid)
            {
                throw new LogCorruptionException($"The new tree of size {newSize} is not consistent with the checkpoint of size {oldSize}: {check.Reason}.");
            }
        }

        await ProveAsync(written, newSize, root, cancellationToken);

        await lease.EnsureHeldAsync(cancellationToken);
        var checkpoint = new Checkpoint(Origin, newSize, root);
        var note = await _signer.SignAsync(checkpoint.ToText(), cancellationToken);
        var version = await _store.SwapAsync(TileLayout.CheckpointPath, System.Text.Encoding.UTF8.GetBytes(note), state.Version, cancellationToken)
            ?? throw new LogConflictException($"The checkpoint moved while integrating {entries.Count} entries at size {oldSize}; nothing was published.");

        _trusted = new LogState(checkpoint, note, version);
        return new IntegrationResult(oldSize, entries.Count, checkpoint, note);
    }

    /// <summary>
    /// Reads back every object this integration wrote and recomputes the new root from the tiles as stored (uncached): a byte that
    /// differs from what was intended aborts before anything is signed.
    /// </summary>
    private async Task ProveAsync(List<(string Path, byte[] Content)> written, long newSize, byte[] root, CancellationToken cancellationToken)
    {
        var readBack = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var (path, content) in written)
        {
            var current = await _store.GetAsync(path, cancellationToken);
            if (current is null || !current.Content.Span.SequenceEqual(content))
            {
                throw new LogConflictException($"The log object '{path}' changed during integration: another writer is active.");
            }

            readBack[path] = current.Content;
        }

        var stored = new TileHashReader(new ReadBackSource(readBack, new StoreObjectSource(_store)), new TileCache());
        var proven = await stored.RootAsync(newSize, cancellationToken);
        if (!proven.AsSpan().SequenceEqual(root))
        {
            throw new LogCorruptionException(
                $"The tiles as stored give root {Convert.ToBase64String(proven)} for size {newSize}, not the {Convert.ToBase64String(root)} integrated; nothing was signed.");
        }
    }

    private async Task WriteEntryBundlesAsync(
        IReadOnlyList<ReadOnlyMemory<byte>> entries, long oldSize, long newSize, LogWriterLease lease, List<(string, byte[])> written, CancellationToken cancellationToken)
    {
        var all = new List<ReadOnlyMemory<byte>>();
        var baseIndex = oldSize / TileLayout.Width * TileLayout.Width;
        if (oldSize % TileLayout.Width != 0)
        {
            var partial = TileLayout.EntryBundleFor(oldSize - 1, oldSize);
            var data = await _store.GetAsync(partial.Path, cancellationToken)
                ?? throw new LogCorruptionException($"The entry bundle '{partial.Path}' of the published tree is missing.");
            var existing = EntryBundle.Decode(data.Content);
            if (existing.Count != partial.Width)
            {
                throw new LogCorruptionException($"The entry bundle '{partial.Path}' holds {existing.Count} entries, not {partial.Width}.");
            }

            // The bundle is not covered by the root check at load; its entries must match the published leaf hashes.
            var tile = await _hashes.ReadTileAsync(TileLayout.TileFor(0, oldSize - 1, oldSize), cancellationToken);
            for (var i = 0; i < existing.Count; i++)
            {
                if (!MerkleHash.Leaf(existing[i].Span).AsSpan().SequenceEqual(tile.Hash(i)))
                {
                    throw new LogCorruptionException($"Entry {partial.FirstEntry + i} in '{partial.Path}' does not match its published leaf hash.");
                }
            }

            all.AddRange(existing);
        }

        all.AddRange(entries);
        foreach (var bundle in TileLayout.NewEntryBundles(oldSize, newSize))
        {
            var start = (int)(bundle.FirstEntry - baseIndex);
            var content = EntryBundle.Encode(all.GetRange(start, bundle.Width));
            await WriteImmutableAsync(bundle.Path, content, (ulong)bundle.LeafEnd, oldSize, lease, cancellationToken);
            written.Add((bundle.Path, content));
        }
    }

    private async Task WriteTilesAsync(
        IReadOnlyList<ReadOnlyMemory<byte>> entries, long oldSize, long newSize, LogWriterLease lease, List<(string, byte[])> written, CancellationToken cancellationToken)
    {
        // New hashes at the current level: leaf hashes first, then the roots of the full tiles just completed one level down.
        var newHashes = new List<byte[]>(entries.Count);
        foreach (var entry in entries)
        {
            newHashes.Add(MerkleHash.Leaf(entry.Span));
        }

        for (var level = 0; newHashes.Count > 0; level++)
        {
            var oldCount = TileLayout.HashCount(level, oldSize);
            var newCount = TileLayout.HashCount(level, newSize);
            var firstTile = oldCount / TileLayout.Width;
            var row = new List<byte[]>();
            if (oldCount % TileLayout.Width != 0)
            {
                var partial = await _hashes.ReadTileAsync(TileLayout.TileFor(level, oldCount - 1, oldSize), cancellationToken);
                for (var i = 0; i < partial.Width; i++)
                {
                    row.Add(partial.Hash(i));
                }
            }

            row.AddRange(newHashes);
            if (firstTile * TileLayout.Width + row.Count != newCount)
            {
                throw new InvalidOperationException($"Level {level} would hold {firstTile * TileLayout.Width + row.Count} hashes, not {newCount}.");
            }

            var nextLevel = new List<byte[]>();
            for (var offset = 0; offset < row.Count; offset += TileLayout.Width)
            {
                var width = Math.Min(TileLayout.Width, row.Count - offset);
                var tile = new TileAddress(level, firstTile + (offset / TileLayout.Width), width);
                var content = new byte[width * MerkleHash.Size];
                for (var i = 0; i < width; i++)
                {
                    row[offset + i].CopyTo(content, i * MerkleHash.Size);
                }

                var hashes = new TileHashes(content, width);
                written.Add((tile.Path, content));
                await WriteImmutableAsync(tile.Path, content, tile.LeafEnd, oldSize, lease, cancellationToken);
                _hashes.Remember(tile, hashes);
                if (tile.IsFull)
                {
                    nextLevel.Add(hashes.Subtree(TileLayout.Height, 0));
                }
            }

            newHashes = nextLevel;
        }
    }

    private async Task WriteImmutableAsync(string path, byte[] content, UInt128 leafEnd, long publishedSize, LogWriterLease lease, CancellationToken cancellationToken)
    {
        await lease.EnsureHeldAsync(cancellationToken);
        if (await _store.CreateAsync(path, content, cancellationToken))
        {
            return;
        }

        var existing = await _store.GetAsync(path, cancellationToken)
            ?? throw new LogConflictException($"The log object '{path}' was there and then gone: another writer is active.");
        if (leafEnd <= (ulong)publishedSize)
        {
            if (existing.Content.Span.SequenceEqual(content))
            {
                return;
            }

            throw new LogCorruptionException($"The log object '{path}' is covered by the published checkpoint (size {publishedSize}) but holds different bytes.");
        }

        // Never published: the leftover of an integration that did not reach its checkpoint (ours or a stalled writer's). Taken over
        // by compare-and-swap even when the bytes are ours already, so that a write still in flight from that writer fails.
        await lease.EnsureHeldAsync(cancellationToken);
        if (await _store.SwapAsync(path, content, existing.Version, cancellationToken) is null)
        {
            throw new LogConflictException($"The log object '{path}' changed while this writer took it over: another writer is active.");
        }
    }

    /// <summary>The objects just read back, over the store for the rest (the published tree).</summary>
    private sealed class ReadBackSource(Dictionary<string, ReadOnlyMemory<byte>> readBack, ILogObjectSource store) : ILogObjectSource
    {
        public ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken = default) =>
            readBack.TryGetValue(path, out var content) ? ValueTask.FromResult<ReadOnlyMemory<byte>?>(content) : store.ReadAsync(path, cancellationToken);
    }
}
