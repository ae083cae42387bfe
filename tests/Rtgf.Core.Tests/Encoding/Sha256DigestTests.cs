using System.Security.Cryptography;
using Rtgf.Core.Encoding;

namespace Rtgf.Core.Tests.Encoding;

public sealed class Sha256DigestTests
{
    [Theory]
    [InlineData("", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")] // FIPS 180-2 example
    public void Of_WritesPrefixAndLowercaseHex(string text, string expected) =>
        Assert.Equal(expected, Sha256Digest.Of(System.Text.Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void FromHash_MatchesOf_ForAnIncrementalHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("a"u8);
        hash.AppendData("bc"u8);
        Assert.Equal(Sha256Digest.Of("abc"u8), Sha256Digest.FromHash(hash.GetHashAndReset()));
    }

    [Fact]
    public void FromHash_RefusesAnotherLength() =>
        Assert.Contains("32 bytes", Assert.Throws<ArgumentException>(() => Sha256Digest.FromHash(new byte[20])).Message, StringComparison.Ordinal);
}
