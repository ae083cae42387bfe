namespace Rtgf.Azure.Storage.Internal;

/// <summary>
/// The system clock, for the one default that needs it: stamping <c>x-ms-date</c> on requests.
/// Allow-listed for the banned-API analyzer; everything else takes a <see cref="TimeProvider"/>.
/// </summary>
internal static class SystemClock
{
    public static TimeProvider Instance => TimeProvider.System;
}
