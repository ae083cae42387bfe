using System.Security.Cryptography;

namespace Rtgf.Transparency.Merkle;

/// <summary>RFC 6962 §2.1 tree hashing (SHA-256): leaf = H(0x00 || data), node = H(0x01 || left || right), empty = H("").</summary>
public static class MerkleHash
{
    public const int Size = 32;

    private static readonly byte[] EmptyRootBytes = SHA256.HashData([]);

    /// <summary>The root of the empty tree, SHA-256 of the empty string.</summary>
    public static ReadOnlySpan<byte> EmptyRoot => EmptyRootBytes;

    public static byte[] Leaf(ReadOnlySpan<byte> entry)
    {
        var hash = new byte[Size];
        Leaf(entry, hash);
        return hash;
    }

    public static void Leaf(ReadOnlySpan<byte> entry, Span<byte> destination)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hasher.AppendData([0x00]);
        hasher.AppendData(entry);
        hasher.GetHashAndReset(destination);
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        Node(left, right, hash);
        return hash;
    }

    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        // Both children are 32 bytes in a real tree; the vectors feed other lengths, so no fixed-size buffer.
        Span<byte> buffer = left.Length + right.Length <= 128 ? stackalloc byte[1 + left.Length + right.Length] : new byte[1 + left.Length + right.Length];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + left.Length)..]);
        SHA256.HashData(buffer, destination);
    }

    /// <summary>MTH(D[n]) over leaf hashes already computed (RFC 6962 §2.1).</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        return leafHashes.Count == 0 ? EmptyRootBytes.ToArray() : RootOf(leafHashes, 0, leafHashes.Count);
    }

    /// <summary>The largest power of two strictly less than <paramref name="n"/> (n &gt; 1): where RFC 6962 splits a tree.</summary>
    internal static long SplitPoint(long n) => 1L << (63 - (int)long.LeadingZeroCount(n - 1));

    private static byte[] RootOf(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1)
        {
            return leaves[start];
        }

        var k = (int)SplitPoint(count);
        return Node(RootOf(leaves, start, k), RootOf(leaves, start + k, count - k));
    }
}
