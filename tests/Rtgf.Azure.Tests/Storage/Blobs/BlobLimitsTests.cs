using Rtgf.Azure.Storage.Blobs;

namespace Rtgf.Azure.Tests.Storage.Blobs;

public sealed class BlobLimitsTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("Upper")]
    [InlineData("-lead")]
    [InlineData("trail-")]
    [InlineData("double--dash")]
    [InlineData("under_score")]
    public void ValidateContainerName_Illegal_IsRefused(string name) =>
        Assert.Throws<ArgumentException>(() => BlobLimits.ValidateContainerName(name));

    [Theory]
    [InlineData("log")]
    [InlineData("snapshots-2026")]
    [InlineData("$root")]
    public void ValidateContainerName_Legal_IsAccepted(string name) => BlobLimits.ValidateContainerName(name);

    [Theory]
    [InlineData("")]
    [InlineData("a/../b")]
    [InlineData("./a")]
    [InlineData("a\u0001")]
    public void ValidateBlobName_Illegal_IsRefused(string name) =>
        Assert.Throws<ArgumentException>(() => BlobLimits.ValidateBlobName(name));

    [Fact]
    public void ValidateBlobName_LongestLegal_IsAccepted()
    {
        BlobLimits.ValidateBlobName(new string('a', 1024));
        Assert.Throws<ArgumentException>(() => BlobLimits.ValidateBlobName(new string('a', 1025)));
    }

    [Fact]
    public void EscapePath_EscapesSegmentsAndKeepsSlashes() =>
        Assert.Equal("tile/0/a%20b%3Fc", BlobLimits.EscapePath("tile/0/a b?c"));

    [Fact]
    public void ValidateMetadata_RejectsBadNamesNonAsciiAndOversize()
    {
        Assert.Throws<ArgumentException>(() => BlobLimits.ValidateMetadata(new Dictionary<string, string> { ["bad-name"] = "x" }));
        Assert.Throws<ArgumentException>(() => BlobLimits.ValidateMetadata(new Dictionary<string, string> { ["ok"] = "Ōtautahi" }));
        Assert.Throws<ArgumentException>(() => BlobLimits.ValidateMetadata(new Dictionary<string, string> { ["big"] = new string('x', 9000) }));
        BlobLimits.ValidateMetadata(new Dictionary<string, string> { ["source_system"] = "tga v1.2" });
    }
}
