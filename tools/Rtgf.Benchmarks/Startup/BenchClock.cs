namespace Rtgf.Benchmarks.Startup;

/// <summary>The wall clock a start-up measurement needs. Allow-listed for the banned-API analyzer.</summary>
internal static class BenchClock
{
    public static TimeProvider System => TimeProvider.System;
}
