using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Transparency.Tests.Checkpoints;

public sealed class CheckpointTests
{
    [Fact]
    public void ParseAndToText_WithExtension_RoundTrip()
    {
        const string text = "rekor.sigstore.dev - 2605736670972794746\n27657875\nv+7gOn1wovHHKBEVizJ5FFgTKUBCN9UxLo5KQ1Jz8cw=\nTimestamp: 1692374735595899989\n";
        var checkpoint = Checkpoint.Parse(text);

        Assert.Equal("rekor.sigstore.dev - 2605736670972794746", checkpoint.Origin);
        Assert.Equal(27657875, checkpoint.Size);
        Assert.Equal("v+7gOn1wovHHKBEVizJ5FFgTKUBCN9UxLo5KQ1Jz8cw=", checkpoint.RootHashBase64);
        Assert.Equal(["Timestamp: 1692374735595899989"], checkpoint.Extensions);
        Assert.Equal(text, checkpoint.ToText());
    }

    [Fact]
    public void ToText_EmptyTree_SizeZero()
    {
        Assert.Equal("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", new Checkpoint("o", 0, MerkleHash.EmptyRoot).ToText());
    }

    [Theory]
    [InlineData("o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "newline")]
    [InlineData("o\n1\n", "three lines")]
    [InlineData("o\n01\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "leading zeros")]
    [InlineData("o\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "decimal")]
    [InlineData("o\n99999999999999999999\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "decimal")]
    [InlineData("o\n1\nnot base64!\n", "base64")]
    [InlineData("o\n1\nAAAA\n", "3 bytes")]
    public void Parse_Malformed_Throws(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => Checkpoint.Parse(text));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
