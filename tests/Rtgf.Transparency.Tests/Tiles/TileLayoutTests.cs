using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Tests.Tiles;

public sealed class TileLayoutTests
{
    [Theory]
    [InlineData(0, "000")]
    [InlineData(5, "005")]
    [InlineData(999, "999")]
    [InlineData(1000, "x001/000")]
    [InlineData(1234067, "x001/x234/067")]
    [InlineData(1000000, "x001/x000/000")]
    public void FormatIndex_GroupsOfThree_WithXPrefixes(long index, string expected) => Assert.Equal(expected, TileLayout.FormatIndex(index));

    [Fact]
    public void TilePath_FullAndPartial_FollowTlogTiles()
    {
        Assert.Equal("tile/0/x001/x234/067", TileLayout.TilePath(0, 1234067, 256));
        Assert.Equal("tile/1/000.p/17", TileLayout.TilePath(1, 0, 17));
        Assert.Equal("tile/entries/x001/x234/067.p/8", TileLayout.EntryBundlePath(1234067, 8));
        Assert.Equal("tile/entries/273", TileLayout.EntryBundlePath(273, 256));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void TilePath_WidthOutOfRange_Throws(int width) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TileLayout.TilePath(0, 0, width));

    [Fact]
    public void TilesForSize_70000_MatchesTheSpecExample()
    {
        var tiles = TileLayout.TilesForSize(70_000).ToList();

        Assert.Equal(273, tiles.Count(t => t is { Level: 0, IsFull: true }));
        Assert.Equal(new TileAddress(0, 273, 112), Assert.Single(tiles, t => t is { Level: 0, IsFull: false }));
        Assert.Equal(new TileAddress(1, 0, 256), Assert.Single(tiles, t => t is { Level: 1, IsFull: true }));
        Assert.Equal(new TileAddress(1, 1, 17), Assert.Single(tiles, t => t is { Level: 1, IsFull: false }));
        Assert.Equal(new TileAddress(2, 0, 1), Assert.Single(tiles, t => t.Level == 2));
        Assert.Equal(277, tiles.Count);
    }

    [Fact]
    public void TilesForSize_256_FullLevel0AndLevel1PartialOfOne()
    {
        Assert.Equal([new TileAddress(0, 0, 256), new TileAddress(1, 0, 1)], TileLayout.TilesForSize(256));
        Assert.Empty(TileLayout.TilesForSize(0));
    }

    [Fact]
    public void NewTiles_GrowingWithinOneTile_WritesOnlyTheNewPartial()
    {
        Assert.Equal([new TileAddress(0, 0, 9)], TileLayout.NewTiles(5, 9));
        Assert.Equal([new TileAddress(0, 0, 256), new TileAddress(0, 1, 4), new TileAddress(1, 0, 1)], TileLayout.NewTiles(250, 260));
    }

    [Fact]
    public void NewEntryBundles_CrossingABundle_FullThenPartial()
    {
        Assert.Equal([new EntryBundleAddress(0, 256), new EntryBundleAddress(1, 4)], TileLayout.NewEntryBundles(250, 260));
        Assert.Empty(TileLayout.NewEntryBundles(7, 7));
    }

    [Fact]
    public void TileFor_PartialAndFull_PicksTheTileTheSizeServes()
    {
        Assert.Equal(new TileAddress(0, 1, 44), TileLayout.TileFor(0, 299, 300));
        Assert.Equal(new TileAddress(0, 0, 256), TileLayout.TileFor(0, 3, 300));
        Assert.Equal(new TileAddress(1, 0, 1), TileLayout.TileFor(1, 0, 300));
        Assert.Throws<ArgumentOutOfRangeException>(() => TileLayout.TileFor(1, 1, 300));
    }

    [Fact]
    public void LeafEnd_PartialUpperTile_CoversItsSubtrees()
    {
        Assert.Equal((UInt128)300, new TileAddress(0, 1, 44).LeafEnd);
        Assert.Equal((UInt128)(17 * 256 + 256 * 256), new TileAddress(1, 1, 17).LeafEnd);
    }
    [Fact]
    public void MaxLevel_IsTheHighestLevelAnyTreeSizeReaches()
    {
        // Tree sizes are int64: level 7 (256^7 = 2^56) can hold hashes, level 8 (256^8 = 2^64) never can.
        Assert.Equal(7, TileLayout.MaxLevel);
        Assert.True(TileLayout.HashCount(TileLayout.MaxLevel, long.MaxValue) > 0);
        Assert.Equal(0, TileLayout.HashCount(TileLayout.MaxLevel + 1, long.MaxValue));
        Assert.Equal("tile/7/000.p/1", TileLayout.TilePath(7, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TileLayout.TilePath(8, 0, 1));
    }

    [Fact]
    public void LeafEnd_AtMaxLevelAndLargestIndex_IsExact()
    {
        var tile = new TileAddress(TileLayout.MaxLevel, long.MaxValue, TileLayout.Width);

        var expected = ((UInt128)long.MaxValue + 1) * TileLayout.Width * ((UInt128)1 << (TileLayout.Height * TileLayout.MaxLevel));
        Assert.Equal(expected, tile.LeafEnd);
        Assert.True(tile.LeafEnd > long.MaxValue);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(63)]
    public void LeafEnd_AboveMaxLevel_IsRefusedRatherThanWrapped(int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileAddress(level, 0, 1).LeafEnd);
}
