using System.Numerics;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;

namespace Rtgf.Transparency.Tiles;

/// <summary>
/// Computes tree hashes, roots and RFC 6962 proofs for a given tree size from the log's tiles (read through a cache).
/// The caller decides which tree size to trust; every hash comes from the tiles that tree size serves.
/// </summary>
public sealed class TileHashReader(ILogObjectSource source, TileCache cache)
{
    /// <summary>MTH of the whole tree of <paramref name="treeSize"/> leaves.</summary>
    public ValueTask<byte[]> RootAsync(long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        return treeSize == 0 ? ValueTask.FromResult(MerkleHash.EmptyRoot.ToArray()) : RangeHashAsync(0, treeSize, treeSize, cancellationToken);
    }

    /// <summary>The level-0 hash of leaf <paramref name="index"/>.</summary>
    public ValueTask<byte[]> LeafHashAsync(long index, long treeSize, CancellationToken cancellationToken = default) =>
        SubtreeHashAsync(0, index, treeSize, cancellationToken);

    /// <summary>RFC 6962 §2.1.1 PATH(index, D[treeSize]), deepest sibling first.</summary>
    public async ValueTask<IReadOnlyList<byte[]>> InclusionProofAsync(long index, long treeSize, CancellationToken cancellationToken = default)
    {
        if (index < 0 || index >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of size {treeSize}.");
        }

        var proof = new List<byte[]>();
        await PathAsync(index, 0, treeSize, treeSize, proof, cancellationToken);
        return proof;
    }

    /// <summary>RFC 6962 §2.1.2 PROOF(size1, D[size2]); empty when the sizes are equal. Size 0 proves nothing and is refused.</summary>
    public async ValueTask<IReadOnlyList<byte[]>> ConsistencyProofAsync(long size1, long size2, CancellationToken cancellationToken = default)
    {
        if (size1 <= 0 || size1 > size2)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), $"A consistency proof needs 0 < size1 <= size2; got {size1} and {size2}.");
        }

        var proof = new List<byte[]>();
        if (size1 < size2)
        {
            await SubProofAsync(size1, 0, size2, true, size2, proof, cancellationToken);
        }

        return proof;
    }

    /// <summary>MTH(D[start:end]) for a range the RFC 6962 tree shape produces (aligned on the left).</summary>
    internal async ValueTask<byte[]> RangeHashAsync(long start, long end, long treeSize, CancellationToken cancellationToken)
    {
        var count = end - start;
        if (BitOperations.IsPow2(count) && start % count == 0)
        {
            var height = BitOperations.TrailingZeroCount(count);
            return await SubtreeHashAsync(height, start >> height, treeSize, cancellationToken);
        }

        var k = MerkleHash.SplitPoint(count);
        var left = await RangeHashAsync(start, start + k, treeSize, cancellationToken);
        var right = await RangeHashAsync(start + k, end, treeSize, cancellationToken);
        return MerkleHash.Node(left, right);
    }

    /// <summary>The hash of the complete subtree of 2^height leaves starting at leaf index * 2^height.</summary>
    internal async ValueTask<byte[]> SubtreeHashAsync(int height, long index, long treeSize, CancellationToken cancellationToken)
    {
        var level = height / TileLayout.Height;
        var within = height % TileLayout.Height;
        var first = index << within;
        var tile = TileLayout.TileFor(level, first + (1L << within) - 1, treeSize);
        var hashes = await ReadTileAsync(tile, cancellationToken);
        var offset = (int)(first - (tile.Index * TileLayout.Width));
        return hashes.Subtree(within, offset >> within);
    }

    internal async ValueTask<TileHashes> ReadTileAsync(TileAddress tile, CancellationToken cancellationToken)
    {
        var path = tile.Path;
        var cached = cache.Get(path);
        if (cached is not null)
        {
            return cached;
        }

        var data = await source.ReadAsync(path, cancellationToken);
        TileHashes hashes;
        if (data is not null)
        {
            hashes = new TileHashes(data.Value.Span, tile.Width);
        }
        else
        {
            // tlog-tiles lets a log delete a partial tile once the full one exists: fall back to the full tile's prefix.
            var full = tile with { Width = TileLayout.Width };
            var fullData = tile.IsFull ? null : await source.ReadAsync(full.Path, cancellationToken);
            if (fullData is null)
            {
                throw new LogObjectMissingException(path);
            }

            hashes = new TileHashes(fullData.Value.Span[..(tile.Width * MerkleHash.Size)], tile.Width);
        }

        cache.Add(path, hashes);
        return hashes;
    }

    internal void Remember(TileAddress tile, TileHashes hashes) => cache.Add(tile.Path, hashes);

    internal void Forget(string path) => cache.Remove(path);

    private async ValueTask PathAsync(long index, long start, long end, long treeSize, List<byte[]> proof, CancellationToken cancellationToken)
    {
        if (end - start == 1)
        {
            return;
        }

        var k = MerkleHash.SplitPoint(end - start);
        if (index < start + k)
        {
            await PathAsync(index, start, start + k, treeSize, proof, cancellationToken);
            proof.Add(await RangeHashAsync(start + k, end, treeSize, cancellationToken));
        }
        else
        {
            await PathAsync(index, start + k, end, treeSize, proof, cancellationToken);
            proof.Add(await RangeHashAsync(start, start + k, treeSize, cancellationToken));
        }
    }

    private async ValueTask SubProofAsync(long m, long start, long end, bool isWholeOldTree, long treeSize, List<byte[]> proof, CancellationToken cancellationToken)
    {
        var n = end - start;
        if (m == n)
        {
            if (!isWholeOldTree)
            {
                proof.Add(await RangeHashAsync(start, end, treeSize, cancellationToken));
            }

            return;
        }

        var k = MerkleHash.SplitPoint(n);
        if (m <= k)
        {
            await SubProofAsync(m, start, start + k, isWholeOldTree, treeSize, proof, cancellationToken);
            proof.Add(await RangeHashAsync(start + k, end, treeSize, cancellationToken));
        }
        else
        {
            await SubProofAsync(m - k, start + k, end, false, treeSize, proof, cancellationToken);
            proof.Add(await RangeHashAsync(start, start + k, treeSize, cancellationToken));
        }
    }
}
