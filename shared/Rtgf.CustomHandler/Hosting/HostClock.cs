namespace Rtgf.CustomHandler.Hosting;

/// <summary>
/// The composition root's choice of clock. Allow-listed for the banned-API analyzer: everything else
/// receives <see cref="TimeProvider"/> from DI.
/// </summary>
internal static class HostClock
{
    public static TimeProvider System => TimeProvider.System;
}
