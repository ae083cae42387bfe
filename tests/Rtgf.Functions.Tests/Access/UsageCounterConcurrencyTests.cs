using Rtgf.Azure.Access;
using Rtgf.Pipeline.Access;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Access;

/// <summary>
/// The shared usage counters under concurrency, over the real table store on Azurite: many requests of one key arrive
/// while a write of its window is in flight. The store holds every write until all the requests have been made (a gate,
/// not a sleep), so the overlap is certain, not a matter of timing; then the writes go to Azurite as they come.
/// </summary>
public sealed class UsageCounterConcurrencyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 30, 15, TimeSpan.Zero);

    [Fact]
    public async Task ConcurrentRequests_OnOneInstance_AtASmallLimit_ServeExactlyTheLimit()
    {
        var store = await StoreAsync();
        var held = new HeldUsageCounterStore(store);
        var counters = new SharedUsageCounters(held, new ManualTimeProvider(Now), TimeSpan.FromSeconds(1));
        var minute = UsageWindows.Minute(Now);

        var takes = Enumerable.Range(0, 10_000).Select(_ => counters.TryTakeAsync("k", minute, 10, default).AsTask()).ToList();
        held.Release();
        var outcomes = await Task.WhenAll(takes);

        Assert.Equal(10, outcomes.Count(o => o.Allowed)); // one instance alone: the count is exact
        Assert.Equal(10, await store.AddAsync("k", minute, 0, default)); // and only what was served is counted
        Assert.Equal(10, counters.Known("k", minute));
        Assert.True(held.Writes <= 3, $"{held.Writes} writes"); // requests waiting together go in one write
    }

    [Fact]
    public async Task ConcurrentRequests_NearTheLimit_ServeWhatIsLeft()
    {
        // A standard key (600 a minute) other instances have brought to 590; this instance has read the row once.
        var store = await StoreAsync();
        var minute = UsageWindows.Minute(Now);
        await store.AddAsync("k", minute, 590, default);
        var held = new HeldUsageCounterStore(store);
        var counters = new SharedUsageCounters(held, new ManualTimeProvider(Now), TimeSpan.FromSeconds(1));
        held.Release();
        Assert.True((await counters.TryTakeAsync("k", minute, 600, default)).Allowed); // 591
        held.Hold();

        var takes = Enumerable.Range(0, 1_000).Select(_ => counters.TryTakeAsync("k", minute, 600, default).AsTask()).ToList();
        held.Release();
        var outcomes = await Task.WhenAll(takes);

        Assert.Equal(9, outcomes.Count(o => o.Allowed));
        Assert.Equal(600, await store.AddAsync("k", minute, 0, default));
    }

    [Fact]
    public async Task ConcurrentRequests_OnTwoInstances_ServeTheLimitBetweenThem()
    {
        var store = await StoreAsync();
        var held = new HeldUsageCounterStore(store);
        var clock = new ManualTimeProvider(Now);
        var a = new SharedUsageCounters(held, clock, TimeSpan.FromSeconds(1));
        var b = new SharedUsageCounters(held, clock, TimeSpan.FromSeconds(1));
        var minute = UsageWindows.Minute(Now);

        var takes = Enumerable.Range(0, 2_000).Select(i => (i % 2 == 0 ? a : b).TryTakeAsync("k", minute, 10, default).AsTask()).ToList();
        held.Release();
        var outcomes = await Task.WhenAll(takes);

        // Each instance admits up to the limit locally and waits for its writes: a request is served only when its own
        // place in the shared count is within the limit, so together they serve the limit, no more and no less.
        Assert.Equal(10, outcomes.Count(o => o.Allowed));
        var total = await store.AddAsync("k", minute, 0, default);
        Assert.InRange(total, 10, 20); // refused after a write, a request stays counted (at most a limit per instance)
    }

    [Fact]
    public async Task AFailedWrite_ItsRequestsGoWithTheNext_AheadOfThoseCountedMeanwhile()
    {
        var store = await StoreAsync();
        var held = new HeldUsageCounterStore(new FailingOnceUsageCounterStore(store));
        var counters = new SharedUsageCounters(held, new ManualTimeProvider(Now), TimeSpan.FromSeconds(1));
        var minute = UsageWindows.Minute(Now);

        var takes = Enumerable.Range(0, 1_000).Select(_ => counters.TryTakeAsync("k", minute, 10, default).AsTask()).ToList();
        held.Release();
        await Assert.ThrowsAsync<InvalidOperationException>(() => takes[0]); // the request whose write failed: a 503
        var outcomes = await Task.WhenAll(takes.Skip(1));

        // Its request stays counted (it goes with the next write, in first place); the nine that waited meanwhile are
        // placed after it, and served.
        Assert.Equal(9, outcomes.Count(o => o.Allowed));
        Assert.Equal(10, await store.AddAsync("k", minute, 0, default));
    }

    private static async Task<TableUsageCounterStore> StoreAsync()
    {
        var azurite = await Support.SharedAzurite.GetAsync();
        return new TableUsageCounterStore(new AccessTables(() => azurite.TableService(), azurite.UniqueName("usage")));
    }
}

/// <summary>A usage store whose writes wait while it is held (from the start); released, they go to the inner store.</summary>
internal sealed class HeldUsageCounterStore(IUsageCounterStore inner) : IUsageCounterStore
{
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    public async Task<long> AddAsync(string key, string window, long delta, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        await _gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await inner.AddAsync(key, window, delta, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A usage store whose first write fails (storage unreachable once).</summary>
internal sealed class FailingOnceUsageCounterStore(IUsageCounterStore inner) : IUsageCounterStore
{
    private int _calls;

    public Task<long> AddAsync(string key, string window, long delta, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _calls) == 1
            ? Task.FromException<long>(new InvalidOperationException("storage is unreachable"))
            : inner.AddAsync(key, window, delta, cancellationToken);
}
