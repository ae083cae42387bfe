namespace Rtgf.Testing;

/// <summary>
/// Polls a real system (Azurite, a child process) until a condition holds. Uses the wall clock, so it is
/// allow-listed for the banned-API analyzer; it measures nothing, it only bounds how long a test waits.
/// </summary>
public static class Eventually
{
    public static readonly TimeProvider RealTime = TimeProvider.System;

    /// <summary>Returns the first probed value that satisfies <paramref name="done"/>; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> ProbeAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = RealTime.GetUtcNow() + timeout;
        var last = default(T);
        while (RealTime.GetUtcNow() < deadline)
        {
            last = await probe().ConfigureAwait(false);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), RealTime).ConfigureAwait(false);
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last value: {last}");
    }
}
