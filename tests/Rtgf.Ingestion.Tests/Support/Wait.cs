using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Support;

/// <summary>Bounded waits for work running on other threads (Kestrel, the client) to reach a point the test can observe.</summary>
internal static class Wait
{
    private const int Attempts = 4000;

    public static void Until(Func<bool> condition, string what)
    {
        for (var i = 0; i < Attempts; i++)
        {
            if (condition())
            {
                return;
            }

            Thread.Sleep(5);
        }

        throw new TimeoutException($"Gave up waiting until {what}.");
    }

    /// <summary>
    /// Runs <paramref name="task"/> to completion, moving the manual clock on (by at most <paramref name="step"/> at a time, up
    /// to the next wait's due time) only while the code under test waits on a delay beyond <paramref name="baselineWaits"/>.
    /// Timeouts guarding a request in flight are not waits: they fire only when a wait's due time passes them, never because
    /// the request took a while in real time.
    /// </summary>
    public static async Task<T> DriveAsync<T>(Task<T> task, ManualTimeProvider time, TimeSpan step, int baselineWaits = 0)
    {
        for (var i = 0; i < Attempts && !task.IsCompleted; i++)
        {
            if (time.PendingWaits > baselineWaits && time.NextWaitDue is { } due)
            {
                var now = time.GetUtcNow();
                time.AdvanceTo(due - now > step ? now + step : due);
                continue;
            }

            // The bound is real time: nothing to drive until the call waits on a timer again.
            Thread.Sleep(5);
        }

        if (!task.IsCompleted)
        {
            throw new TimeoutException("The call did not finish while the clock was being driven.");
        }

        return await task;
    }
}
