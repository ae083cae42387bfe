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

    /// <summary>Runs <paramref name="task"/> to completion, advancing the manual clock by <paramref name="step"/> whenever it waits on a timer.</summary>
    public static async Task<T> DriveAsync<T>(Task<T> task, ManualTimeProvider time, TimeSpan step, int baselineTimers = 0)
    {
        for (var i = 0; i < Attempts && !task.IsCompleted; i++)
        {
            if (time.PendingTimers > baselineTimers)
            {
                time.Advance(step);
            }

            // Sleep on both paths: the bound must be real time, or a slow fetch under load outlasts a budget spent advancing.
            Thread.Sleep(5);
        }

        if (!task.IsCompleted)
        {
            throw new TimeoutException("The call did not finish while the clock was being driven.");
        }

        return await task;
    }
}
