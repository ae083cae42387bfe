using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Tests.Support;

/// <summary>Checks a stored log the way a monitor would: roots, consistency between checkpoints, inclusion of every entry.</summary>
internal static class LogHarness
{
    public static async Task AssertConsistentAsync(ILogObjectStore store, IReadOnlyList<Checkpoint> published, IReadOnlyList<ReadOnlyMemory<byte>> expectedEntries)
    {
        var reader = new LogReader(new StoreObjectSource(store));
        var final = published[^1];
        Assert.Equal(expectedEntries.Count, final.Size);

        var leafHashes = expectedEntries.Select(e => MerkleHash.Leaf(e.Span)).ToList();
        foreach (var checkpoint in published)
        {
            Assert.Equal(MerkleHash.Root(leafHashes.GetRange(0, (int)checkpoint.Size)), checkpoint.RootHash.ToArray());
            Assert.Equal(checkpoint.RootHash.ToArray(), await reader.GetRootAsync(checkpoint.Size));
        }

        for (var i = 0; i < published.Count; i++)
        {
            for (var j = i; j < published.Count; j++)
            {
                var (a, b) = (published[i], published[j]);
                if (a.Size == 0)
                {
                    continue;
                }

                var proof = await reader.GetConsistencyProofAsync(a.Size, b.Size);
                var check = MerkleProofVerifier.VerifyConsistency(a.Size, b.Size, a.RootHash, b.RootHash, proof);
                Assert.True(check.IsValid, $"{a.Size} -> {b.Size}: {check.Reason}");
            }
        }

        for (var index = 0; index < final.Size; index++)
        {
            var entry = await reader.GetEntryAsync(index, final.Size);
            Assert.Equal(expectedEntries[index].ToArray(), entry.ToArray());
            var proof = await reader.GetInclusionProofAsync(index, final.Size);
            var check = MerkleProofVerifier.VerifyInclusion(index, final.Size, leafHashes[index], proof, final.RootHash);
            Assert.True(check.IsValid, $"entry {index} at {final.Size}: {check.Reason}");
        }
    }
}
