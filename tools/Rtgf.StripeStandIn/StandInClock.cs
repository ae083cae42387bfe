namespace Rtgf.StripeStandIn;

/// <summary>
/// The system clock, the stand-in's default for object timestamps, signatures and webhook retries (allow-listed for the
/// banned-API analyzer); tests inject their own <see cref="TimeProvider"/>.
/// </summary>
internal static class StandInClock
{
    public static TimeProvider Instance => TimeProvider.System;
}
