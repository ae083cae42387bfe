using Rtgf.Testing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tests.Support;

namespace Rtgf.Transparency.Tests.Integration;

/// <summary>
/// A writer that stalls inside its critical section (a GC pause, a frozen VM) while its lease expires and another writer takes
/// over. Whatever write it was in the middle of lands late; the log must stay provable and the stalled writer must stop.
/// </summary>
public sealed class LogWriterLeaseTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The stalled writer's integration of 5 entries at size 10: the fence, one entry bundle, one level-0 tile, the checkpoint.</summary>
    public static TheoryData<int, bool> StallPoints()
    {
        var data = new TheoryData<int, bool>();
        for (var write = 1; write <= 4; write++)
        {
            data.Add(write, false);
            data.Add(write, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StallPoints))]
    public async Task IntegrateAsync_StalledPastItsLeaseWhileAnotherWriterWorks_StalledWriterStopsAndTheLogProvesItself(int stalledWrite, bool takerCrashesBeforeItsCheckpoint)
    {
        using var signer = new TestSigner();
        var clock = new ManualTimeProvider(Start);
        var store = new InMemoryLogObjectStore();
        var writerLock = new InMemoryLogWriterLock(clock);
        var first = await new LogIntegrator(store, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("base", 0, 10));

        var stalling = new StallingStore(store, stalledWrite);
        var stalled = new LogIntegrator(stalling, TestEntries.Origin, signer);
        var stalledLease = (await LogWriterLease.TryAcquireAsync(writerLock))!;
        var stalledRun = stalled.IntegrateAsync(TestEntries.Batch("stalled", 10, 5), stalledLease);
        await stalling.Paused;

        clock.Advance(LogWriterLease.DefaultDuration + TimeSpan.FromSeconds(1));
        var published = new List<Checkpoint> { first.Checkpoint };
        var expected = new List<ReadOnlyMemory<byte>>(TestEntries.Batch("base", 0, 10));
        await using (var takerLease = (await LogWriterLease.TryAcquireAsync(writerLock))!)
        {
            if (takerCrashesBeforeItsCheckpoint)
            {
                // The taker fences the checkpoint and leaves its tiles behind, then dies before its own checkpoint swap.
                var crashing = new FaultInjectingStore(store) { FailAt = 4 };
                await Assert.ThrowsAsync<SimulatedCrashException>(() =>
                    new LogIntegrator(crashing, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("taker", 10, 7), takerLease));
            }
            else
            {
                var taken = await new LogIntegrator(store, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("taker", 10, 7), takerLease);
                published.Add(taken.Checkpoint);
                expected.AddRange(TestEntries.Batch("taker", 10, 7));
            }
        }

        stalling.Resume(); // the write it was in the middle of lands now, late
        var stopped = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => stalledRun);
        Assert.True(stopped is LogLeaseLostException or LogConflictException, stopped.ToString());

        var after = await new LogIntegrator(store, TestEntries.Origin, signer).IntegrateAsync(TestEntries.Batch("after", expected.Count, 3));
        published.Add(after.Checkpoint);
        expected.AddRange(TestEntries.Batch("after", expected.Count, 3));
        await LogHarness.AssertConsistentAsync(store, published, expected);
    }

    [Fact]
    public async Task EnsureHeldAsync_PastHalfItsDuration_RenewsAndKeepsOthersOut()
    {
        var clock = new ManualTimeProvider(Start);
        var writerLock = new InMemoryLogWriterLock(clock);
        await using var lease = (await LogWriterLease.TryAcquireAsync(writerLock))!;

        clock.Advance(TimeSpan.FromSeconds(40));
        await lease.EnsureHeldAsync(); // renewed for another 60 s from now
        clock.Advance(TimeSpan.FromSeconds(40));

        Assert.Null(await writerLock.TryAcquireAsync(LogWriterLease.DefaultDuration));
        await lease.EnsureHeldAsync();
    }

    [Fact]
    public async Task EnsureHeldAsync_AfterBreak_ThrowsLostAndKeepsThrowing()
    {
        var clock = new ManualTimeProvider(Start);
        var writerLock = new InMemoryLogWriterLock(clock);
        var lease = (await LogWriterLease.TryAcquireAsync(writerLock))!;
        writerLock.Break();
        var other = await writerLock.TryAcquireAsync(LogWriterLease.DefaultDuration);

        clock.Advance(TimeSpan.FromSeconds(31));

        await Assert.ThrowsAsync<LogLeaseLostException>(() => lease.EnsureHeldAsync().AsTask());
        await Assert.ThrowsAsync<LogLeaseLostException>(() => lease.EnsureHeldAsync().AsTask());
        await lease.DisposeAsync(); // a lost lease releases nothing: the new holder keeps it
        Assert.False(await writerLock.TryRenewAsync("lease-1"));
        Assert.True(await writerLock.TryRenewAsync(other!));
    }

    /// <summary>Holds write number <c>stalledWrite</c> before it reaches the store until <see cref="Resume"/>: a request in flight.</summary>
    private sealed class StallingStore(ILogObjectStore inner, int stalledWrite) : ILogObjectStore
    {
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _writes;

        public Task Paused => _paused.Task;

        public void Resume() => _resume.SetResult();

        public ValueTask<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default) => inner.GetAsync(path, cancellationToken);

        public async ValueTask<bool> CreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            await StallAsync();
            return await inner.CreateAsync(path, content, cancellationToken);
        }

        public async ValueTask<string?> SwapAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken = default)
        {
            await StallAsync();
            return await inner.SwapAsync(path, content, expectedVersion, cancellationToken);
        }

        private async Task StallAsync()
        {
            if (++_writes == stalledWrite)
            {
                _paused.SetResult();
                await _resume.Task;
            }
        }
    }
}
