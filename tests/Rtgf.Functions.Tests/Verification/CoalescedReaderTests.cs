using System.Threading.Channels;
using Rtgf.Functions.Verification;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Verification;

public sealed class CoalescedReaderTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Channel<TaskCompletionSource<int>> _reads = Channel.CreateUnbounded<TaskCompletionSource<int>>();
    private int _started;

    [Fact]
    public async Task CallersArrivingDuringARead_ShareTheNextOne_WhichStartsAfterTheInterval()
    {
        var reader = Reader();
        var first = reader.ReadAfterAsync(reader.Mark, CancellationToken.None);
        var late = Enumerable.Range(0, 5).Select(_ => reader.ReadAfterAsync(reader.Mark, CancellationToken.None)).ToList();
        await CompleteAsync(1);
        Assert.Equal(1, (await first).Value);
        Assert.Equal(1, Volatile.Read(ref _started)); // the late callers arrived after read 1 started: they wait for read 2, due one interval later

        _clock.Advance(Interval);
        await CompleteAsync(2);

        Assert.All(await Task.WhenAll(late), v => Assert.Equal((2, 2L), (v.Value, v.Id)));
        Assert.Equal(2, Volatile.Read(ref _started));
    }

    [Fact]
    public async Task AFailedRead_FailsItsCallers_AndTheNextCallerReadsAgain()
    {
        var reader = Reader();
        var failing = reader.ReadAfterAsync(0, CancellationToken.None);
        (await _reads.Reader.ReadAsync()).SetException(new IOException("store down"));
        await Assert.ThrowsAsync<IOException>(() => failing);

        var retry = reader.ReadAfterAsync(reader.Mark, CancellationToken.None);
        _clock.Advance(Interval);
        await CompleteAsync(7);

        Assert.Equal(7, (await retry).Value);
    }

    [Fact]
    public async Task AReadThatDoesNotCompleteInTime_IsATimeout_ForItsCaller_NotForTheNextOne()
    {
        var reader = Reader();
        var stalled = reader.ReadAfterAsync(0, CancellationToken.None);
        _clock.Advance(MaxWait);
        await Assert.ThrowsAsync<TimeoutException>(() => stalled);

        var joined = reader.ReadAfterAsync(0, CancellationToken.None); // the same (still running) read
        await CompleteAsync(3);

        Assert.Equal(3, (await joined).Value);
        Assert.Equal(1, Volatile.Read(ref _started));
    }

    [Fact]
    public async Task ACancelledCaller_DoesNotCancelTheSharedRead()
    {
        var reader = Reader();
        using var cancel = new CancellationTokenSource();
        var leaving = reader.ReadAfterAsync(0, cancel.Token);
        var staying = reader.ReadAfterAsync(0, CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        await CompleteAsync(4);

        Assert.Equal(4, (await staying).Value);
    }

    private CoalescedReader<int> Reader() => new(_ =>
    {
        Interlocked.Increment(ref _started);
        var read = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(_reads.Writer.TryWrite(read));
        return read.Task;
    }, Interval, MaxWait, _clock);

    /// <summary>Waits for the next read to start, then completes it.</summary>
    private async Task CompleteAsync(int value) => (await _reads.Reader.ReadAsync()).SetResult(value);
}
