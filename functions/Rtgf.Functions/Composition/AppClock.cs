namespace Rtgf.Functions.Composition;

/// <summary>
/// The composition root's choice of clock. Allow-listed for the banned-API analyzer: everything else receives
/// <see cref="TimeProvider"/> from DI (tests register their own before <see cref="RtgfApp.Configure"/> or replace it after).
/// </summary>
internal static class AppClock
{
    public static TimeProvider System => TimeProvider.System;
}
