using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Support;

/// <summary>The clock driver moves through waits (retry delays), never through a timeout guarding work still in progress.</summary>
public sealed class WaitTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PendingWaits_CountsDelaysNotTimeouts()
    {
        var time = new ManualTimeProvider(Start);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        var delay = Task.Delay(TimeSpan.FromSeconds(1), time);

        Assert.Equal((2, 1, Start.AddSeconds(1)), (time.PendingTimers, time.PendingWaits, time.NextWaitDue));
        time.AdvanceTo(time.NextWaitDue!.Value);

        await delay;
        Assert.False(timeout.IsCancellationRequested);
        Assert.Equal(Start.AddSeconds(5), time.NextTimerDue);
    }

    [Fact]
    public async Task DriveAsync_SlowAnswerUnderAnAttemptTimeout_IsNotTimedOutByTheDriver()
    {
        var time = new ManualTimeProvider(Start);
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var driven = Task.Run(() => Wait.DriveAsync(SlowCallAsync(time, inFlight, answer.Task), time, TimeSpan.FromMinutes(1)));
        await inFlight.Task;
        // The answer takes a while in real time (a loaded machine); however long, the driver must leave the timeout alone.
        await Task.Delay(TimeSpan.FromMilliseconds(200), Eventually.RealTime);
        answer.SetResult("answered");

        Assert.Equal("answered", await driven);
        Assert.Equal(Start.AddSeconds(1), time.GetUtcNow());
    }

    /// <summary>A call as the outbound pipeline makes one: a retry delay, then an attempt under a 5 s timeout.</summary>
    private static async Task<string> SlowCallAsync(TimeProvider time, TaskCompletionSource inFlight, Task<string> answer)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), time);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        inFlight.SetResult();
        return await answer.WaitAsync(timeout.Token);
    }
}
