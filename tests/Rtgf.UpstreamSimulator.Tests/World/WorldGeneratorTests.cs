using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Tests.World;

public sealed class WorldGeneratorTests
{
    private static void AssertAbout(int expected, int actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= expected / 100, $"{what}: {actual} is not within 1% of {expected}");

    [Fact]
    public void National_SameSeed_HasTheDocumentedCountsAndTheSameFingerprint_OtherSeedDiffers()
    {
        var first = WorldGenerator.National(42, Simulators.Start);
        var again = WorldGenerator.National(42, Simulators.Start);
        var other = WorldGenerator.National(43, Simulators.Start);

        AssertAbout(4_000, first.Rtos.Count(r => r.Deleted is null), "RTOs");
        AssertAbout(25_000, first.Components.Count(c => c.Usage == UsageState.Current), "current components");
        AssertAbout(500_000, first.Scope.Length, "scope rows");
        Assert.Equal(first.Components.Count, first.Components.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(first.Rtos.Count, first.Rtos.Select(r => r.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(first.Rtos, r => Assert.InRange(r.ScopeStart + r.ScopeCount, 0, first.Scope.Length));
        Assert.Equal(first.Fingerprint(), again.Fingerprint());
        Assert.NotEqual(first.Fingerprint(), other.Fingerprint());
    }

    [Fact]
    public void Small_IsFixed_AndHasAFewOfEverything()
    {
        var world = WorldGenerator.Small(Simulators.Start);

        Assert.Equal(WorldGenerator.Small(Simulators.Start).Fingerprint(), world.Fingerprint());
        Assert.Equal(30, world.Rtos.Count(r => r.Deleted is null));
        Assert.Equal(150, world.Scope.Length);
        Assert.Contains(world.Rtos, r => r.Status == RtoStatus.Current);
        Assert.Contains(world.Components, c => c.Usage == UsageState.Superseded);
        Assert.Contains(world.Components, c => c.Usage == UsageState.Deleted);
        Assert.All(Enum.GetValues<ComponentKind>(), kind => Assert.Contains(world.Components, c => c.Kind == kind));
        Assert.NotEmpty(world.CricosCourses);
        Assert.NotEmpty(world.TeqsaProviders);
        Assert.Contains(world.Sanctions, s => s.Aliases.Count > 0);
        Assert.All(world.Components, c => Assert.True(c.Updated < Simulators.Start && c.Updated >= c.Created || c.Usage == UsageState.Superseded));
        Assert.All(world.Rtos.Where(r => r.Deleted is null), r =>
        {
            Assert.True(r.Updated < Simulators.Start, $"RTO {r.Code} was modified at or after the clock");
            var rows = world.Scope.Skip(r.ScopeStart).Take(r.ScopeCount);
            Assert.All(rows, row => Assert.True(DateOnly.FromDateTime(r.Updated.UtcDateTime) >= row.Start, $"RTO {r.Code} was modified before its scope row started"));
        });
    }

    [Fact]
    public void Fingerprint_ChangesWithTheClockAndWithAChange()
    {
        var world = WorldGenerator.Small(Simulators.Start);
        var before = world.Fingerprint();

        world.SetClock(Simulators.Start.AddMinutes(1));
        var afterClock = world.Fingerprint();
        world.CancelRto(world.Rtos.First(r => r.Status == RtoStatus.Current && r.Deleted is null).Code, "Cancelled");

        Assert.NotEqual(before, afterClock);
        Assert.NotEqual(afterClock, world.Fingerprint());
    }

    [Fact]
    public void Abn_PassesTheAtoChecksum()
    {
        var rng = new SplitMix64(7);
        int[] weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
        for (var i = 0; i < 50; i++)
        {
            var abn = WorldGenerator.Abn(rng);
            var digits = abn.Select(c => c - '0').ToArray();
            digits[0]--;
            Assert.Equal(0, digits.Select((d, k) => d * weights[k]).Sum() % 89);
        }
    }
}
