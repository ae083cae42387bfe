using Rtgf.Transparency.Merkle;

namespace Rtgf.Transparency.Tiles;

/// <summary>
/// A tile's hashes with every complete subtree inside it computed once, so a cached tile answers any aligned subtree hash
/// (the levels between two tile levels) without hashing again.
/// </summary>
internal sealed class TileHashes
{
    // _levels[k][j] = hash of the 2^k tile hashes starting at j * 2^k.
    private readonly byte[][][] _levels;

    public TileHashes(ReadOnlySpan<byte> data, int width)
    {
        if (data.Length != width * MerkleHash.Size)
        {
            throw new FormatException($"A tile of width {width} has {width * MerkleHash.Size} bytes, not {data.Length}.");
        }

        Width = width;
        var levels = new List<byte[][]>();
        var row = new byte[width][];
        for (var i = 0; i < width; i++)
        {
            row[i] = data.Slice(i * MerkleHash.Size, MerkleHash.Size).ToArray();
        }

        levels.Add(row);
        while (row.Length > 1)
        {
            var next = new byte[row.Length / 2][];
            for (var i = 0; i < next.Length; i++)
            {
                next[i] = MerkleHash.Node(row[2 * i], row[(2 * i) + 1]);
            }

            levels.Add(next);
            row = next;
        }

        _levels = [.. levels];
    }

    public int Width { get; }

    public byte[] Hash(int index) => _levels[0][index];

    /// <summary>The hash of the 2^<paramref name="height"/> tile hashes starting at <paramref name="index"/> * 2^height.</summary>
    public byte[] Subtree(int height, int index)
    {
        if (height >= _levels.Length || index >= _levels[height].Length)
        {
            throw new InvalidOperationException($"A tile of width {Width} holds no complete subtree of height {height} at {index}.");
        }

        return _levels[height][index];
    }
}
