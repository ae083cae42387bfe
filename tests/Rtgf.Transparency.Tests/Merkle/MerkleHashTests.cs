using System.Text;
using System.Text.Json;
using Rtgf.Testing;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Transparency.Tests.Merkle;

public sealed class MerkleHashTests
{
    private static readonly JsonElement Reference = JsonDocument.Parse(TestData.ReadText("vectors/merkle/rfc6962_reference_tree.json")).RootElement;

    [Fact]
    public void Root_ReferenceTreeEverySize_MatchesPublishedRoots()
    {
        var leaves = Reference.GetProperty("leaf_inputs_hex").EnumerateArray().Select(e => Convert.FromHexString(e.GetString()!)).ToArray();
        var roots = Reference.GetProperty("root_by_tree_size_hex");
        Assert.Equal(9, roots.EnumerateObject().Count());
        foreach (var size in roots.EnumerateObject())
        {
            var n = int.Parse(size.Name, System.Globalization.CultureInfo.InvariantCulture);
            var root = MerkleHash.Root([.. leaves.Take(n).Select(l => MerkleHash.Leaf(l))]);
            Assert.Equal(size.Value.GetString(), Convert.ToHexStringLower(root));
        }
    }

    [Fact]
    public void LeafAndNode_KnownAnswers_Match()
    {
        foreach (var check in Reference.GetProperty("single_hash_checks").EnumerateArray())
        {
            if (check.TryGetProperty("leaf_hash_hex", out var leaf))
            {
                Assert.Equal(leaf.GetString(), Convert.ToHexStringLower(MerkleHash.Leaf(Encoding.ASCII.GetBytes(check.GetProperty("input").GetString()!))));
            }
            else
            {
                var node = MerkleHash.Node(Encoding.ASCII.GetBytes(check.GetProperty("left").GetString()!), Encoding.ASCII.GetBytes(check.GetProperty("right").GetString()!));
                Assert.Equal(check.GetProperty("node_hash_hex").GetString(), Convert.ToHexStringLower(node));
            }
        }
    }

    [Fact]
    public void EmptyRoot_IsSha256OfNothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleHash.EmptyRoot));
        Assert.Equal(MerkleHash.EmptyRoot.ToArray(), MerkleHash.Root([]));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 4)]
    [InlineData(257, 256)]
    [InlineData(1L << 40, 1L << 39)]
    public void SplitPoint_LargestPowerOfTwoBelow(long n, long expected) => Assert.Equal(expected, MerkleHash.SplitPoint(n));
}
