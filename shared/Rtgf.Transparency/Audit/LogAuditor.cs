using System.Globalization;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Audit;

/// <summary>
/// Checks a whole log from outside, as a monitor would: the checkpoint's signature and origin; every entry bundle and every
/// full and partial tile the checkpoint's tree size needs (present, the right width, decoding to the right count); every
/// hash against the level below it; the checkpoint's root; and, when the source can list what it stores, that every stored
/// partial tile or bundle is a prefix of the current object at its index (objects once served never change). Optionally a
/// previous checkpoint (from an earlier audit or a witness) must be consistent with the current one.
/// <para>
/// It streams: a depth-first walk from the top level holds one tile row per level, reads each object once, and reports
/// every finding (up to a cap), not only the first. When two objects disagree, the finding goes to the one that a third
/// contradicts: a tile whose recomputation the level above (or, at the right edge, the checkpoint) confirms is the bad one;
/// entries or a subtree that disagree with a confirmed tile are. So one corrupted object gives one finding, at its path.
/// </para>
/// </summary>
public sealed class LogAuditor
{
    public const int DefaultMaxFindings = 1000;

    private readonly ILogObjectSource _source;
    private readonly IReadOnlyList<NoteVerifierKey> _keys;
    private readonly string? _origin;
    private readonly ILogObjectLister? _lister;
    private readonly int _maxFindings;

    /// <param name="source">Where the log's objects are read.</param>
    /// <param name="keys">The log's verifier key(s); the checkpoint must carry a valid signature by one of them.</param>
    /// <param name="origin">The log's origin, when the checkpoint must name it.</param>
    /// <param name="lister">Lists the stored objects for the immutability check; defaults to the source when it can list.</param>
    /// <param name="maxFindings">Findings kept in the report; more are counted, not kept.</param>
    public LogAuditor(ILogObjectSource source, IReadOnlyList<NoteVerifierKey> keys, string? origin = null, ILogObjectLister? lister = null, int maxFindings = DefaultMaxFindings)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFindings, 1);
        _source = source;
        _keys = keys;
        _origin = origin;
        _lister = lister ?? source as ILogObjectLister;
        _maxFindings = maxFindings;
    }

    /// <summary>
    /// Audits the log as it is now; <paramref name="previousCheckpoint"/>, a signed checkpoint note seen earlier, must be
    /// extended by the current one. Only a source that cannot be read (an HTTP error, an I/O error) throws.
    /// </summary>
    public Task<LogAuditReport> AuditAsync(string? previousCheckpoint = null, CancellationToken cancellationToken = default) =>
        new Run(this, cancellationToken).AuditAsync(previousCheckpoint);

    /// <summary>The state of one audit: findings, counters, the stored partials to compare, the checkpoint's tree size.</summary>
    private sealed class Run(LogAuditor auditor, CancellationToken cancellationToken)
    {
        private readonly List<LogAuditFinding> _findings = [];
        private readonly Dictionary<(int Level, long Index), List<int>> _storedPartials = [];
        private long _findingCount;
        private long _entries;
        private long _tiles;
        private long _partials;
        private long _size;

        public async Task<LogAuditReport> AuditAsync(string? previousCheckpoint)
        {
            var storesObjects = await ListStoredPartialsAsync();
            var note = await auditor._source.ReadAsync(TileLayout.CheckpointPath, cancellationToken);
            if (note is null)
            {
                if (storesObjects)
                {
                    Add(LogAuditCodes.CheckpointMissing, TileLayout.CheckpointPath, "The log stores tiles or entry bundles but no checkpoint.");
                }

                return Report(null, null);
            }

            var checkpoint = ReadCheckpoint(note.Value);
            if (checkpoint is null)
            {
                return Report(null, null);
            }

            _size = checkpoint.Size;
            var tilesRoot = await AuditTreeAsync(checkpoint);
            if (previousCheckpoint is not null)
            {
                await CheckPreviousAsync(previousCheckpoint, checkpoint);
            }

            return Report(checkpoint, tilesRoot);
        }

        private LogAuditReport Report(Checkpoint? checkpoint, byte[]? tilesRoot) => new(
            checkpoint?.Origin, checkpoint?.Size, checkpoint?.RootHashBase64, tilesRoot is null ? null : Convert.ToBase64String(tilesRoot),
            _entries, _tiles, _partials, _findings, _findingCount);

        private void Add(string code, string path, string message)
        {
            _findingCount++;
            if (_findings.Count < auditor._maxFindings)
            {
                _findings.Add(new LogAuditFinding(code, path, message));
            }
        }

        private async Task<bool> ListStoredPartialsAsync()
        {
            if (auditor._lister is null)
            {
                return false;
            }

            var any = false;
            await foreach (var path in auditor._lister.ListAsync("tile/", cancellationToken))
            {
                any = true;
                if (StoredTilePath.TryParse(path, out var parsed) && parsed.Width < TileLayout.Width)
                {
                    var key = (parsed.Level, parsed.Index);
                    if (!_storedPartials.TryGetValue(key, out var widths))
                    {
                        _storedPartials[key] = widths = [];
                    }

                    widths.Add(parsed.Width);
                }
            }

            return any;
        }

        private Checkpoint? ReadCheckpoint(ReadOnlyMemory<byte> bytes)
        {
            SignedNote note;
            Checkpoint checkpoint;
            try
            {
                note = SignedNote.Parse(bytes.Span);
                checkpoint = Checkpoint.Parse(note.Text);
            }
            catch (FormatException ex)
            {
                Add(LogAuditCodes.CheckpointMalformed, TileLayout.CheckpointPath, ex.Message);
                return null;
            }

            // A bad signature is reported, and the tiles are still audited against the body: an operator wants every fact at once.
            var verification = NoteVerifier.Verify(note, auditor._keys);
            if (!verification.IsValid)
            {
                Add(LogAuditCodes.CheckpointSignature, TileLayout.CheckpointPath, $"The checkpoint does not verify with the log's key: {verification.Reason}.");
            }

            if (auditor._origin is not null && !string.Equals(checkpoint.Origin, auditor._origin, StringComparison.Ordinal))
            {
                Add(LogAuditCodes.CheckpointOrigin, TileLayout.CheckpointPath, $"The checkpoint's origin is '{checkpoint.Origin}', not '{auditor._origin}'.");
            }

            return checkpoint;
        }

        /// <summary>Walks the tree the checkpoint's size defines; returns the root the stored tiles give, or null when they cannot.</summary>
        private async Task<byte[]?> AuditTreeAsync(Checkpoint checkpoint)
        {
            // The right edge: at most one partial tile per level, top level first (its subtrees are the leftmost leaves).
            var edge = new List<(TileAddress Tile, byte[][]? Stored, byte[]?[]? Below)>();
            for (var level = TopLevel(_size); level >= 0; level--)
            {
                var count = TileLayout.HashCount(level, _size);
                if (count % TileLayout.Width == 0)
                {
                    continue;
                }

                var tile = new TileAddress(level, count / TileLayout.Width, (int)(count % TileLayout.Width));
                var stored = await ReadTileAsync(tile);
                edge.Add((tile, stored, await BelowAsync(tile, stored)));
            }

            edge.Reverse();
            var storedRoot = EdgeRoot(edge.Select(e => (e.Tile, (byte[]?[]?)e.Stored)));
            var belowRoot = EdgeRoot(edge.Select(e => (e.Tile, e.Below)));
            var signed = checkpoint.RootHash.ToArray();
            if (Same(storedRoot, signed))
            {
                foreach (var (tile, stored, below) in edge)
                {
                    ReportBelow(tile, stored!, below, "the checkpoint");
                }
            }
            else if (Same(belowRoot, signed))
            {
                foreach (var (tile, stored, below) in edge)
                {
                    ReportTile(tile, stored, below, "the checkpoint's root confirms the recomputed ones");
                }
            }
            else
            {
                Add(LogAuditCodes.RootMismatch, TileLayout.CheckpointPath, string.Create(CultureInfo.InvariantCulture,
                    $"The checkpoint signs root {checkpoint.RootHashBase64} for size {_size}, but the stored tiles give {Describe(storedRoot)} and the levels below them give {Describe(belowRoot)}."));
                foreach (var (tile, stored, below) in edge)
                {
                    ReportTile(tile, stored, below, "the checkpoint confirms neither");
                }
            }

            return storedRoot;
        }

        /// <summary>
        /// Audits full tile (<paramref name="level"/>, <paramref name="index"/>) and everything below it; returns the hash the
        /// audit holds for it (its root as two of stored, recomputed and <paramref name="parent"/> agree), for the level above.
        /// </summary>
        private async Task<byte[]?> FullTileAsync(int level, long index, byte[]? parent)
        {
            var tile = new TileAddress(level, index, TileLayout.Width);
            var stored = await ReadTileAsync(tile);
            var below = await BelowAsync(tile, stored);
            var storedRoot = stored is null ? null : MerkleHash.Root(stored);
            if (stored is not null && below is not null && FirstDifference(stored, below) < 0)
            {
                return storedRoot; // The tile agrees with what is below; whether it agrees with the parent is the parent's question.
            }

            var belowRoot = IsComplete(below) ? MerkleHash.Root(below!.Select(h => h!).ToArray()) : null;
            if (parent is not null && Same(belowRoot, parent))
            {
                ReportTile(tile, stored, below, "the level above confirms the recomputed ones");
                return belowRoot;
            }

            if (parent is not null && Same(storedRoot, parent))
            {
                ReportBelow(tile, stored!, below, "the level above");
                return storedRoot;
            }

            ReportTile(tile, stored, below, "the level above confirms neither");
            return belowRoot ?? storedRoot;
        }

        /// <summary>A tile's hashes recomputed from the level below: leaf hashes of its entries, or the roots of its child tiles.</summary>
        private async Task<byte[]?[]?> BelowAsync(TileAddress tile, byte[][]? stored)
        {
            if (tile.Level == 0)
            {
                return await LeafHashesAsync(new EntryBundleAddress(tile.Index, tile.Width));
            }

            var row = new byte[]?[tile.Width];
            for (var i = 0; i < tile.Width; i++)
            {
                row[i] = await FullTileAsync(tile.Level - 1, (tile.Index * TileLayout.Width) + i, stored?[i]);
            }

            return row;
        }

        private async Task<byte[]?[]?> LeafHashesAsync(EntryBundleAddress bundle)
        {
            var (data, path) = await ReadWithFallbackAsync(bundle.Path, bundle.IsFull ? null : (bundle with { Width = TileLayout.Width }).Path);
            if (data is null)
            {
                Add(LogAuditCodes.EntryBundleMissing, bundle.Path, string.Create(CultureInfo.InvariantCulture,
                    $"The tree of size {_size} needs entries {bundle.FirstEntry} to {bundle.LeafEnd - 1}; no bundle holds them."));
                return null;
            }

            IReadOnlyList<ReadOnlyMemory<byte>> entries;
            try
            {
                entries = EntryBundle.Decode(data.Value);
            }
            catch (FormatException ex)
            {
                Add(LogAuditCodes.EntryBundleMalformed, path, ex.Message);
                return null;
            }

            var expected = path == bundle.Path ? bundle.Width : TileLayout.Width;
            if (entries.Count != expected)
            {
                Add(LogAuditCodes.EntryBundleCount, path, string.Create(CultureInfo.InvariantCulture, $"It holds {entries.Count} entries, not {expected}."));
                return null;
            }

            await CheckStoredPartialsAsync(StoredTilePath.EntriesLevel, bundle.Index, bundle.Width, path, "entries", width => data.Value[..PrefixLength(entries, width)]);
            _entries += bundle.Width;
            var leaves = new byte[]?[bundle.Width];
            for (var i = 0; i < leaves.Length; i++)
            {
                leaves[i] = MerkleHash.Leaf(entries[i].Span);
            }

            return leaves;
        }

        private async Task<byte[][]?> ReadTileAsync(TileAddress tile)
        {
            var (data, path) = await ReadWithFallbackAsync(tile.Path, tile.IsFull ? null : (tile with { Width = TileLayout.Width }).Path);
            if (data is null)
            {
                Add(LogAuditCodes.TileMissing, tile.Path, string.Create(CultureInfo.InvariantCulture, $"The tree of size {_size} needs this tile; it is not stored."));
                return null;
            }

            var width = path == tile.Path ? tile.Width : TileLayout.Width;
            if (data.Value.Length != width * MerkleHash.Size)
            {
                Add(LogAuditCodes.TileWidth, path, string.Create(CultureInfo.InvariantCulture,
                    $"It holds {data.Value.Length} bytes; a tile of width {width} holds {width * MerkleHash.Size}."));
                return null;
            }

            await CheckStoredPartialsAsync(tile.Level, tile.Index, tile.Width, path, "hashes", w => data.Value[..(w * MerkleHash.Size)]);
            _tiles++;
            var hashes = new byte[tile.Width][];
            for (var i = 0; i < hashes.Length; i++)
            {
                hashes[i] = data.Value.Span.Slice(i * MerkleHash.Size, MerkleHash.Size).ToArray();
            }

            return hashes;
        }

        /// <summary>tlog-tiles lets a log delete a partial object once the full one exists; readers then use the full one's prefix.</summary>
        private async Task<(ReadOnlyMemory<byte>? Data, string Path)> ReadWithFallbackAsync(string path, string? fullPath)
        {
            var data = await auditor._source.ReadAsync(path, cancellationToken);
            if (data is null && fullPath is not null && await auditor._source.ReadAsync(fullPath, cancellationToken) is { } full)
            {
                return (full, fullPath);
            }

            return (data, path);
        }

        /// <summary>Every stored partial at this index narrower than the current object must be its prefix.</summary>
        private async Task CheckStoredPartialsAsync(int level, long index, int currentWidth, string currentPath, string what, Func<int, ReadOnlyMemory<byte>> prefix)
        {
            if (!_storedPartials.TryGetValue((level, index), out var widths))
            {
                return;
            }

            foreach (var width in widths.Where(w => w < currentWidth).Order())
            {
                var path = new StoredTilePath(level, index, width).Path;
                if (await auditor._source.ReadAsync(path, cancellationToken) is not { } stored)
                {
                    continue; // listed, then deleted: allowed for partials
                }

                _partials++;
                if (!stored.Span.SequenceEqual(prefix(width).Span))
                {
                    Add(LogAuditCodes.ObjectChanged, path, string.Create(CultureInfo.InvariantCulture,
                        $"It is not the first {width} {what} of '{currentPath}': an object that may have been served changed."));
                }
            }
        }

        private async Task CheckPreviousAsync(string previousNote, Checkpoint current)
        {
            var verification = CheckpointVerifier.Verify(previousNote, auditor._keys, auditor._origin);
            if (!verification.IsValid)
            {
                Add(LogAuditCodes.PreviousInvalid, TileLayout.CheckpointPath, $"The previous checkpoint does not verify: {verification.Reason}.");
                return;
            }

            var previous = verification.Checkpoint!;
            string? problem = null;
            if (previous.Size > current.Size)
            {
                problem = $"The checkpoint's size {current.Size} is smaller than the previous checkpoint's {previous.Size}: the log went back.";
            }
            else if (previous.Size == current.Size)
            {
                problem = previous.RootHash.SequenceEqual(current.RootHash) ? null : $"Both checkpoints have size {current.Size} but different roots: the log forked.";
            }
            else if (previous.Size > 0)
            {
                try
                {
                    var proof = await new TileHashReader(auditor._source, new TileCache(256)).ConsistencyProofAsync(previous.Size, current.Size, cancellationToken);
                    var check = MerkleProofVerifier.VerifyConsistency(previous.Size, current.Size, previous.RootHash, current.RootHash, proof);
                    problem = check.IsValid ? null : $"The checkpoint of size {current.Size} is not consistent with the previous one of size {previous.Size}: {check.Reason}.";
                }
                catch (Exception ex) when (ex is InvalidOperationException or FormatException)
                {
                    problem = $"The consistency of size {current.Size} with the previous size {previous.Size} cannot be proven from the stored tiles: {ex.Message}";
                }
            }

            if (problem is not null)
            {
                Add(LogAuditCodes.PreviousInconsistent, TileLayout.CheckpointPath, problem);
            }
        }

        /// <summary>The stored tile is the bad one where it differs from the recomputation (a missing one is already reported).</summary>
        private void ReportTile(TileAddress tile, byte[][]? stored, byte[]?[]? below, string why)
        {
            if (stored is null || below is null)
            {
                return;
            }

            var first = FirstDifference(stored, below);
            if (first < 0)
            {
                return;
            }

            var from = tile.Level == 0
                ? $"the leaf hashes of the entries in '{TileLayout.EntryBundlePath(tile.Index, tile.Width)}'"
                : string.Create(CultureInfo.InvariantCulture, $"the roots of its tiles at level {tile.Level - 1}");
            Add(LogAuditCodes.TileHashMismatch, tile.Path, string.Create(CultureInfo.InvariantCulture,
                $"{Differences(stored, below)} of its {tile.Width} hashes differ from {from} (first: hash {first}); {why}."));
        }

        /// <summary>The confirmed stored tile is right; what is below it differs: entries at level 0, child subtrees above.</summary>
        private void ReportBelow(TileAddress tile, byte[][] stored, byte[]?[]? below, string confirmer)
        {
            if (below is null)
            {
                return;
            }

            var first = FirstDifference(stored, below);
            if (first < 0)
            {
                return;
            }

            if (tile.Level == 0)
            {
                var bundle = new EntryBundleAddress(tile.Index, tile.Width);
                Add(LogAuditCodes.EntryLeafMismatch, bundle.Path, string.Create(CultureInfo.InvariantCulture,
                    $"{Differences(stored, below)} of its {tile.Width} entries have leaf hashes that differ from '{tile.Path}' (first: entry {bundle.FirstEntry + first}), which {confirmer} confirms."));
                return;
            }

            for (var i = first; i < stored.Length; i++)
            {
                if (below[i] is { } hash && !hash.AsSpan().SequenceEqual(stored[i]))
                {
                    Add(LogAuditCodes.SubtreeMismatch, TileLayout.TilePath(tile.Level - 1, (tile.Index * TileLayout.Width) + i, TileLayout.Width), string.Create(CultureInfo.InvariantCulture,
                        $"It and the levels below it give root {Convert.ToBase64String(hash)}, but hash {i} of '{tile.Path}', which {confirmer} confirms, is {Convert.ToBase64String(stored[i])}."));
                }
            }
        }

        /// <summary>
        /// The root from the right edge's partial rows, bottom level first: each row's power-of-two subtrees, left to right, then
        /// the lower levels' root, folded from the right (RFC 6962's split puts the largest complete subtree on the left).
        /// </summary>
        private byte[]? EdgeRoot(IEnumerable<(TileAddress Tile, byte[]?[]? Row)> edge)
        {
            if (_size == 0)
            {
                return MerkleHash.EmptyRoot.ToArray();
            }

            byte[]? lower = null;
            foreach (var (tile, row) in edge)
            {
                if (!IsComplete(row))
                {
                    return null;
                }

                var parts = new List<byte[]>();
                var start = 0;
                for (var bit = TileLayout.Height - 1; bit >= 0; bit--)
                {
                    if ((tile.Width & (1 << bit)) != 0)
                    {
                        parts.Add(MerkleHash.Root(row![start..(start + (1 << bit))].Select(h => h!).ToArray()));
                        start += 1 << bit;
                    }
                }

                if (lower is not null)
                {
                    parts.Add(lower);
                }

                lower = parts[^1];
                for (var i = parts.Count - 2; i >= 0; i--)
                {
                    lower = MerkleHash.Node(parts[i], lower);
                }
            }

            return lower;
        }

        private static int TopLevel(long size)
        {
            var level = -1;
            while (TileLayout.HashCount(level + 1, size) > 0)
            {
                level++;
            }

            return level;
        }

        private static int PrefixLength(IReadOnlyList<ReadOnlyMemory<byte>> entries, int count)
        {
            var length = 0;
            for (var i = 0; i < count; i++)
            {
                length += 2 + entries[i].Length;
            }

            return length;
        }

        private static bool IsComplete(byte[]?[]? row) => row is not null && row.All(h => h is not null);

        private static bool Same(byte[]? a, byte[]? b) => a is not null && b is not null && a.AsSpan().SequenceEqual(b);

        /// <summary>The first position where both rows hold a hash and they differ, or -1.</summary>
        private static int FirstDifference(byte[][] stored, byte[]?[] below)
        {
            for (var i = 0; i < stored.Length; i++)
            {
                if (below[i] is { } hash && !hash.AsSpan().SequenceEqual(stored[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        private static int Differences(byte[][] stored, byte[]?[] below) =>
            Enumerable.Range(0, stored.Length).Count(i => below[i] is { } hash && !hash.AsSpan().SequenceEqual(stored[i]));

        private static string Describe(byte[]? root) => root is null ? "no root (objects are missing or unreadable)" : Convert.ToBase64String(root);
    }
}
