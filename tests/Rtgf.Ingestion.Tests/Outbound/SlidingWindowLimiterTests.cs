using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Outbound;

/// <summary>
/// The per-host rate limit on a manual clock: no sliding period ever holds more than its permits, whatever the idle gaps before
/// a burst, and a request waiting for a concurrency slot holds no rate permit (so freed slots cannot release a burst).
/// </summary>
public sealed class SlidingWindowLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(45, 1000, 999)] // the geocoder's default: one request, an idle gap just under a second, then saturated
    [InlineData(50, 1000, 999)]
    [InlineData(1, 20, 39)] // one per 20 ms: a gap past one period and just under the next
    public void IdleGapThenSaturated_NoSlidingPeriodHoldsMoreThanItsPermits(int permits, int periodMs, int gapMs)
    {
        var time = new ManualTimeProvider(Start);
        var period = TimeSpan.FromMilliseconds(periodMs);
        using var limiter = new SlidingWindowLimiter(permits, period, queueLimit: 10_000, time);
        var sends = new List<DateTimeOffset>();
        var pending = new List<Task<bool>>();

        void Take(int n)
        {
            for (var i = 0; i < n; i++)
            {
                pending.Add(limiter.TryAcquireAsync(CancellationToken.None));
            }

            Collect();
        }

        void Collect()
        {
            // A granted permit completes its task inside the call or the clock's Advance: now is its send time.
            foreach (var done in pending.Where(t => t.IsCompleted).ToList())
            {
                Assert.True(done.IsCompletedSuccessfully);
                sends.Add(time.GetUtcNow());
                pending.Remove(done);
            }
        }

        Take(1);
        time.Advance(TimeSpan.FromMilliseconds(gapMs));
        Take(permits * 3);
        for (var ms = 0; ms < periodMs * 4; ms++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            Collect();
            if (ms % 7 == 0)
            {
                Take(1); // keep it saturated
            }
        }

        Assert.True(sends.Count >= permits * 3, $"only {sends.Count} permits granted");
        Assert.Equal(0, Violations(sends, permits, period));
    }

    [Fact]
    public async Task RequestsQueuedForASlot_HoldNoRatePermit_SoFreedSlotsSendNoBurst()
    {
        // Two per second, one in flight. A waits nothing; B, C, D queue for the slot. Slots free at 0.9 s and 1.0 s (twice).
        var time = new ManualTimeProvider(Start);
        using var limiters = new HostLimiters(new OutboundOptions { RateLimitPermits = 2, RateLimitPeriod = TimeSpan.FromSeconds(1), MaxConcurrency = 1 }, time);
        var sends = new List<DateTimeOffset>();
        var a = limiters.AcquireAsync("h", CancellationToken.None).AsTask();
        var b = limiters.AcquireAsync("h", CancellationToken.None).AsTask();
        var c = limiters.AcquireAsync("h", CancellationToken.None).AsTask();
        var d = limiters.AcquireAsync("h", CancellationToken.None).AsTask();

        async Task<IDisposable?> SentAsync(Task<IDisposable?> request)
        {
            Wait.Until(() => request.IsCompleted, "the request is sent");
            sends.Add(time.GetUtcNow());
            return await request;
        }

        var leaseA = await SentAsync(a);
        time.Advance(TimeSpan.FromMilliseconds(900));
        leaseA!.Dispose();
        var leaseB = await SentAsync(b);
        time.Advance(TimeSpan.FromMilliseconds(100));
        leaseB!.Dispose();
        var leaseC = await SentAsync(c);
        leaseC!.Dispose();

        // D has the slot now and waits for the rate permit (a timer until 0.9 s + 1 s), not for the slot.
        Wait.Until(() => time.PendingWaits == 1, "D waits for the rate limit");
        Assert.False(d.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(900) - TimeSpan.FromTicks(1));
        Assert.False(d.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        (await SentAsync(d))!.Dispose();

        Assert.Equal([Start, Start.AddMilliseconds(900), Start.AddSeconds(1), Start.AddMilliseconds(1900)], sends);
        Assert.Equal(0, Violations(sends, 2, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task FullQueue_IsRefused_CancelledWaiter_LeavesTheLine()
    {
        var time = new ManualTimeProvider(Start);
        using var limiter = new SlidingWindowLimiter(1, TimeSpan.FromSeconds(1), queueLimit: 1, time);
        using var cancel = new CancellationTokenSource();

        Assert.True(await limiter.TryAcquireAsync(CancellationToken.None));
        var waiting = limiter.TryAcquireAsync(cancel.Token);
        Assert.False(await limiter.TryAcquireAsync(CancellationToken.None));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        var next = limiter.TryAcquireAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(next.IsCompleted);
        Assert.True(await next);
    }

    /// <summary>Sends beyond the limit: for each send, those in the period starting at it, over the permits.</summary>
    private static int Violations(List<DateTimeOffset> sends, int permits, TimeSpan period)
    {
        var sorted = sends.Order().ToList();
        var violations = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var inWindow = sorted.Skip(i).TakeWhile(t => t - sorted[i] < period).Count();
            violations = Math.Max(violations, inWindow - permits);
        }

        return violations;
    }
}
