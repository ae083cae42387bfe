namespace Rtgf.Benchmarks;

/// <summary>A clock stopped at one instant, so token validity checks in a benchmark never depend on when it runs.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
