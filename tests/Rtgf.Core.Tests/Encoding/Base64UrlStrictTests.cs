using Rtgf.Core.Encoding;

namespace Rtgf.Core.Tests.Encoding;

public sealed class Base64UrlStrictTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData("eyJhbGciOiJFUzI1NiJ9", true)]
    [InlineData("QQ", true)]
    [InlineData("QR", false)]          // stray low bits in the last character
    [InlineData("QQ==", false)]        // padding
    [InlineData("eyJh bGc", false)]    // whitespace
    [InlineData("ab+/", false)]        // standard alphabet
    [InlineData("Q", false)]           // impossible length
    public void IsStrict_Text_AcceptsOnlyTheUniqueEncoding(string text, bool expected)
    {
        Assert.Equal(expected, Base64UrlStrict.IsStrict(text));
    }

    [Fact]
    public void Decode_NotStrict_ThrowsNamingThePart()
    {
        var ex = Assert.Throws<FormatException>(() => Base64UrlStrict.Decode("QQ==", "The header"));

        Assert.StartsWith("The header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_Strict_RoundTrips()
    {
        byte[] bytes = [0xfb, 0xff, 0x00, 0x10];
        var buffer = new byte[8];

        Assert.True(Base64UrlStrict.TryDecode(Base64UrlStrict.Encode(bytes), buffer, out var written));
        Assert.Equal(bytes, buffer[..written]);
    }
}
