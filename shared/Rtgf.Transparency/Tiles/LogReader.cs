using System.Text;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Storage;

namespace Rtgf.Transparency.Tiles;

/// <summary>
/// The read side of the log, for the HTTP API and the CLI: the checkpoint, raw tiles and entry bundles, entries by index, and
/// proofs computed from the tiles for an explicit tree size (always the size of a checkpoint the caller holds).
/// </summary>
public sealed class LogReader
{
    private readonly ILogObjectSource _source;

    public LogReader(ILogObjectSource source, TileCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        Hashes = new TileHashReader(source, cache ?? new TileCache());
    }

    public TileHashReader Hashes { get; }

    /// <summary>The checkpoint note as stored, or null when the log has published nothing.</summary>
    public async ValueTask<string?> ReadCheckpointAsync(CancellationToken cancellationToken = default)
    {
        var data = await _source.ReadAsync(TileLayout.CheckpointPath, cancellationToken);
        return data is null ? null : Encoding.UTF8.GetString(data.Value.Span);
    }

    /// <summary>Reads and verifies the checkpoint against <paramref name="keys"/>.</summary>
    public async ValueTask<CheckpointVerification> ReadVerifiedCheckpointAsync(
        IReadOnlyList<NoteVerifierKey> keys, string? expectedOrigin = null, CancellationToken cancellationToken = default)
    {
        var note = await ReadCheckpointAsync(cancellationToken);
        return note is null
            ? new CheckpointVerification(false, "the log has no checkpoint", null, null)
            : CheckpointVerifier.Verify(note, keys, expectedOrigin);
    }

    /// <summary>A tile's bytes (<paramref name="width"/> 256 for a full tile), or null when there is none.</summary>
    public ValueTask<ReadOnlyMemory<byte>?> ReadTileAsync(int level, long index, int width, CancellationToken cancellationToken = default) =>
        _source.ReadAsync(TileLayout.TilePath(level, index, width), cancellationToken);

    /// <summary>An entry bundle's bytes, or null when there is none.</summary>
    public ValueTask<ReadOnlyMemory<byte>?> ReadEntryBundleAsync(long index, int width, CancellationToken cancellationToken = default) =>
        _source.ReadAsync(TileLayout.EntryBundlePath(index, width), cancellationToken);

    /// <summary>Entry <paramref name="index"/> as the tree of <paramref name="treeSize"/> holds it.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> GetEntryAsync(long index, long treeSize, CancellationToken cancellationToken = default)
    {
        var bundle = TileLayout.EntryBundleFor(index, treeSize);
        var data = await _source.ReadAsync(bundle.Path, cancellationToken);
        if (data is null && !bundle.IsFull)
        {
            data = await _source.ReadAsync((bundle with { Width = TileLayout.Width }).Path, cancellationToken);
        }

        if (data is null)
        {
            throw new LogObjectMissingException(bundle.Path);
        }

        var entries = EntryBundle.Decode(data.Value);
        var position = (int)(index - bundle.FirstEntry);
        return position < entries.Count
            ? entries[position]
            : throw new FormatException($"The entry bundle '{bundle.Path}' holds {entries.Count} entries; entry {index} is not in it.");
    }

    public ValueTask<byte[]> GetRootAsync(long treeSize, CancellationToken cancellationToken = default) =>
        Hashes.RootAsync(treeSize, cancellationToken);

    public ValueTask<IReadOnlyList<byte[]>> GetInclusionProofAsync(long index, long treeSize, CancellationToken cancellationToken = default) =>
        Hashes.InclusionProofAsync(index, treeSize, cancellationToken);

    public ValueTask<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long size1, long size2, CancellationToken cancellationToken = default) =>
        Hashes.ConsistencyProofAsync(size1, size2, cancellationToken);
}
