namespace Rtgf.LocalRunner;

/// <summary>The runner's composition-root clock. Allow-listed for the banned-API analyzer; everything else takes a TimeProvider.</summary>
internal static class RunnerClock
{
    public static TimeProvider System => TimeProvider.System;
}
