using System.Numerics;

namespace Rtgf.Transparency.Merkle;

/// <summary>
/// Inclusion and consistency proof verification exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 (and transparency-dev/merkle):
/// proof lengths are checked up front, and a consistency proof from size 0 is an error (it proves nothing).
/// </summary>
public static class MerkleProofVerifier
{
    public static ProofCheck VerifyInclusion(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || treeSize < 0)
        {
            return ProofCheck.Invalid("index and tree size must not be negative");
        }

        if (index >= treeSize)
        {
            return ProofCheck.Invalid($"index {index} is beyond the tree size {treeSize}");
        }

        if (leafHash.Length != MerkleHash.Size)
        {
            return ProofCheck.Invalid($"the leaf hash has {leafHash.Length} bytes, not {MerkleHash.Size}");
        }

        var (inner, border) = DecompInclusionProof(index, treeSize);
        if (proof.Count != inner + border)
        {
            return ProofCheck.Invalid($"wrong proof size {proof.Count}, want {inner + border}");
        }

        var computed = RootFromInclusionProof(index, treeSize, leafHash, proof);
        return computed.AsSpan().SequenceEqual(root)
            ? ProofCheck.Valid
            : ProofCheck.Invalid("the inclusion proof does not lead to the root");
    }

    public static ProofCheck VerifyConsistency(long size1, long size2, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 0 || size2 < 0)
        {
            return ProofCheck.Invalid("tree sizes must not be negative");
        }

        if (size2 < size1)
        {
            return ProofCheck.Invalid($"size2 ({size2}) < size1 ({size1})");
        }

        if (size1 == 0)
        {
            // Everything is consistent with the empty tree, so a "proof" from it proves nothing: the policy (and the vectors) refuse
            // it, even for two empty trees. Callers that accept "old size 0" (as the witness protocol does) decide that before.
            return ProofCheck.Invalid("a consistency proof from the empty tree is meaningless");
        }

        if (size1 == size2)
        {
            if (proof.Count > 0)
            {
                return ProofCheck.Invalid("size1 = size2, but the proof is not empty");
            }

            return root1.SequenceEqual(root2) ? ProofCheck.Valid : ProofCheck.Invalid("size1 = size2, but the roots differ");
        }

        if (proof.Count == 0)
        {
            return ProofCheck.Invalid("the consistency proof is empty");
        }

        var (inner, border) = DecompInclusionProof(size1 - 1, size2);
        var shift = BitOperations.TrailingZeroCount((ulong)size1);
        inner -= shift;

        // When size1 is a power of two its root is the first "seed" hash and is left out of the proof.
        var seedFromProof = size1 != 1L << shift;
        var start = seedFromProof ? 1 : 0;
        if (proof.Count != start + inner + border)
        {
            return ProofCheck.Invalid($"wrong proof size {proof.Count}, want {start + inner + border}");
        }

        var seed = seedFromProof ? proof[0] : root1.ToArray();
        var rest = proof.Skip(start).ToArray();
        var mask = (size1 - 1) >> shift;

        var hash1 = ChainInnerRight(seed, rest.AsSpan(0, inner), mask);
        hash1 = ChainBorderRight(hash1, rest.AsSpan(inner));
        if (!hash1.AsSpan().SequenceEqual(root1))
        {
            return ProofCheck.Invalid("the consistency proof does not lead to the old root");
        }

        var hash2 = ChainInner(seed, rest.AsSpan(0, inner), mask);
        hash2 = ChainBorderRight(hash2, rest.AsSpan(inner));
        return hash2.AsSpan().SequenceEqual(root2)
            ? ProofCheck.Valid
            : ProofCheck.Invalid("the consistency proof does not lead to the new root");
    }

    /// <summary>The number of proof hashes below the tree's right border (inner) and on it (border) for a leaf.</summary>
    internal static (int Inner, int Border) DecompInclusionProof(long index, long size)
    {
        var inner = 64 - BitOperations.LeadingZeroCount((ulong)(index ^ (size - 1)));
        var border = BitOperations.PopCount((ulong)index >> inner);
        return (inner, border);
    }

    private static byte[] RootFromInclusionProof(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof)
    {
        var (inner, _) = DecompInclusionProof(index, size);
        var all = proof as byte[][] ?? proof.ToArray();
        var result = ChainInner(leafHash.ToArray(), all.AsSpan(0, inner), index);
        return ChainBorderRight(result, all.AsSpan(inner));
    }

    // The formulation of transparency-dev/merkle: equivalent to the RFC 9162 loop once the length check has passed.
    private static byte[] ChainInner(byte[] seed, ReadOnlySpan<byte[]> proof, long index)
    {
        for (var i = 0; i < proof.Length; i++)
        {
            seed = ((index >> i) & 1) == 0 ? MerkleHash.Node(seed, proof[i]) : MerkleHash.Node(proof[i], seed);
        }

        return seed;
    }

    private static byte[] ChainInnerRight(byte[] seed, ReadOnlySpan<byte[]> proof, long index)
    {
        for (var i = 0; i < proof.Length; i++)
        {
            if (((index >> i) & 1) == 1)
            {
                seed = MerkleHash.Node(proof[i], seed);
            }
        }

        return seed;
    }

    private static byte[] ChainBorderRight(byte[] seed, ReadOnlySpan<byte[]> proof)
    {
        foreach (var hash in proof)
        {
            seed = MerkleHash.Node(hash, seed);
        }

        return seed;
    }
}
