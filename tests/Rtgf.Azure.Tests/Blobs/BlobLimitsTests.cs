using Rtgf.Azure.Blobs;

namespace Rtgf.Azure.Tests.Blobs;

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
    [InlineData("tile/0/")]
    [InlineData("checkpoint.")]
    [InlineData("a\\")]
    public void ValidateBlobName_Illegal_IsRefused(string name) =>
        Assert.Throws<ArgumentException>(() => BlobLimits.ValidateBlobName(name));

    [Fact]
    public void ValidateBlobName_LongestLegal_IsAccepted()
    {
        BlobLimits.ValidateBlobName(new string('a', 1024));
        Assert.Throws<ArgumentException>(() => BlobLimits.ValidateBlobName(new string('a', 1025)));
    }

    [Fact]
    public void CheckedBlob_BadName_IsRefusedBeforeAnyClientIsMade()
    {
        var container = new global::Azure.Storage.Blobs.BlobContainerClient("UseDevelopmentStorage=true", "logs");

        var error = Assert.Throws<ArgumentException>(() => container.CheckedBlob(new string('a', 1025)));

        Assert.Contains("1,024", error.Message, StringComparison.Ordinal);
        Assert.Equal("a/b", container.CheckedBlob("a/b").Name);
    }
}
