using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Tests.Tiles;

public sealed class TileCacheTests
{
    [Fact]
    public void Add_BeyondCapacity_StaysBounded()
    {
        var cache = new TileCache(capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            cache.Add("tile/0/00" + i, new TileHashes(new byte[32], 1));
        }

        Assert.True(cache.Count <= 3);
        Assert.NotNull(cache.Get("tile/0/009"));
    }
}
