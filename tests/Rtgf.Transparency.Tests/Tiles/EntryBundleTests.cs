using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Tests.Tiles;

public sealed class EntryBundleTests
{
    [Fact]
    public void EncodeDecode_RoundTrip_UsesBigEndianLengths()
    {
        ReadOnlyMemory<byte>[] entries = [new byte[] { 7 }, Array.Empty<byte>(), new byte[300]];
        var bundle = EntryBundle.Encode(entries);

        Assert.Equal(new byte[] { 0, 1, 7, 0, 0, 1, 44 }, bundle[..7]);
        var decoded = EntryBundle.Decode(bundle);
        Assert.Equal(3, decoded.Count);
        Assert.Equal(entries.Select(e => e.ToArray()), decoded.Select(e => e.ToArray()));
    }

    [Fact]
    public void Encode_EntryOver65535Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => EntryBundle.Encode([new byte[65_536]]));
        Assert.Single(EntryBundle.Decode(EntryBundle.Encode([new byte[65_535]])));
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0, 3, 1, 2 })]
    public void Decode_Truncated_ThrowsFormatException(byte[] bundle) => Assert.Throws<FormatException>(() => EntryBundle.Decode(bundle));
}
