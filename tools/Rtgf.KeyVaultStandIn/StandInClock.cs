namespace Rtgf.KeyVaultStandIn;

/// <summary>
/// The system clock, the stand-in's default for key timestamps and throttling (allow-listed for the banned-API analyzer);
/// tests inject their own <see cref="TimeProvider"/>.
/// </summary>
internal static class StandInClock
{
    public static TimeProvider Instance => TimeProvider.System;
}
