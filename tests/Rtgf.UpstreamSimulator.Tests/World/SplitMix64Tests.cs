using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Tests.World;

public sealed class SplitMix64Tests
{
    [Fact]
    public void NextUInt64_SeedZero_MatchesTheReferenceSequence()
    {
        // First outputs of Vigna's reference splitmix64.c for seed 0.
        var rng = new SplitMix64(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, rng.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, rng.NextUInt64());
    }

    [Fact]
    public void Next_StaysInRange_AndCoversIt()
    {
        var rng = new SplitMix64(99);
        var seen = new HashSet<int>();
        for (var i = 0; i < 1000; i++)
        {
            var value = rng.Next(3, 9);
            Assert.InRange(value, 3, 8);
            seen.Add(value);
        }

        Assert.Equal(6, seen.Count);
    }
}
