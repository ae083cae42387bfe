using System.Buffers.Text;
using System.Text;

namespace Rtgf.Register.Tests;

public sealed class RegisterCursorTests
{
    private static readonly string Hex = new('a', 64);

    [Fact]
    public void Encode_ThenParse_GivesTheSameCursor()
    {
        var cursor = new RegisterCursor(Hex, 1234, RegisterCursor.FingerprintOf("ListRtos|state=NSW"));

        Assert.True(RegisterCursor.TryParse(cursor.Encode(), out var parsed, out _));

        Assert.Equal(cursor, parsed);
        Assert.Equal(16, cursor.Fingerprint.Length);
        Assert.NotEqual(cursor.Fingerprint, RegisterCursor.FingerprintOf("ListRtos|state=VIC"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64url!")]
    [InlineData("====")]
    [InlineData("💩")]
    public void Garbage_IsRefused(string text) => Assert.False(RegisterCursor.TryParse(text, out _, out _));

    [Theory]
    [InlineData("{hex}.5")] // no fingerprint
    [InlineData("{hex}.5.0123456789abcdef.x")] // too many parts
    [InlineData("{HEX}.5.0123456789abcdef")] // upper-case hex
    [InlineData("{hex}.-5.0123456789abcdef")] // a sign
    [InlineData("{hex}.+5.0123456789abcdef")]
    [InlineData("{hex}.1234567890.0123456789abcdef")] // ten digits
    [InlineData("{hex}..0123456789abcdef")]
    [InlineData("abc.5.0123456789abcdef")] // short build id
    [InlineData("{hex}.5.0123456789ABCDEF")]
    public void WellEncodedButMalformed_IsRefused(string inner)
    {
        var text = Base64Url.EncodeToString(Encoding.ASCII.GetBytes(inner.Replace("{hex}", Hex, StringComparison.Ordinal).Replace("{HEX}", Hex.ToUpperInvariant(), StringComparison.Ordinal)));

        Assert.False(RegisterCursor.TryParse(text, out var cursor, out var error));
        Assert.Null(cursor);
        Assert.Contains("cursor", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversize_IsRefusedBeforeDecoding() =>
        Assert.False(RegisterCursor.TryParse(new string('A', RegisterCursor.MaxLength + 1), out _, out _));
}
