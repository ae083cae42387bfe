namespace Rtgf.Functions.Verification;

/// <summary>
/// One value read from storage and shared by every request. Concurrent callers share one read (single flight); reads start
/// at most once per <c>minInterval</c>, whatever the request rate, so unauthenticated requests cannot hammer the store; and
/// a caller can ask for a read that <em>started after</em> a <see cref="Mark"/> it took, so whatever the store held at that
/// moment is seen. A caller waits for the interval plus one read, and never longer than <c>maxWait</c>.
/// </summary>
/// <remarks>
/// The shared read is not cancelled with any one caller (others wait on it); a caller's cancellation ends only its wait.
/// A failed read counts against the interval, so a failing store is not hammered either.
/// </remarks>
internal sealed class CoalescedReader<T>(Func<CancellationToken, Task<T>> read, TimeSpan minInterval, TimeSpan maxWait, TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _started;
    private CoalescedValue<T>? _latest;
    private TaskCompletionSource<CoalescedValue<T>>? _pending;
    private long _pendingId;
    private DateTimeOffset? _lastStart;

    /// <summary>Reads started so far: a read with a greater <see cref="CoalescedValue{T}.Id"/> started after this was taken.</summary>
    public long Mark
    {
        get
        {
            lock (_lock)
            {
                return _started;
            }
        }
    }

    /// <summary>The newest completed read, or null before the first.</summary>
    public CoalescedValue<T>? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>
    /// The value of a read that started after <paramref name="mark"/>: the latest when it did, else the next (joined, or
    /// started once the interval allows). Throws <see cref="TimeoutException"/> when none completes within the maximum wait.
    /// </summary>
    public async Task<CoalescedValue<T>> ReadAfterAsync(long mark, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + maxWait;
        while (true)
        {
            TaskCompletionSource<CoalescedValue<T>>? start = null;
            Task<CoalescedValue<T>> pending;
            bool startsAfterMark;
            lock (_lock)
            {
                if (_latest is { } latest && latest.Id > mark)
                {
                    return latest;
                }

                if (_pending is null)
                {
                    _pending = start = new TaskCompletionSource<CoalescedValue<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _pendingId = 0;
                }

                pending = _pending.Task;
                startsAfterMark = _pendingId == 0 || _pendingId > mark; // 0: not started yet, so it starts after the mark
            }

            if (start is not null)
            {
                _ = RunAsync(start);
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No read completed within {maxWait.TotalSeconds:0.#} s.");
            }

            if (startsAfterMark)
            {
                return await pending.WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
            }

            // The running read started before the mark: let it finish (whatever its outcome), then take the next one.
            await ((Task)pending).WaitAsync(left, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task RunAsync(TaskCompletionSource<CoalescedValue<T>> completion)
    {
        try
        {
            TimeSpan wait;
            lock (_lock)
            {
                wait = _lastStart is { } last ? last + minInterval - time.GetUtcNow() : TimeSpan.Zero;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time).ConfigureAwait(false);
            }

            long id;
            DateTimeOffset startedAt;
            lock (_lock)
            {
                id = _pendingId = ++_started;
                startedAt = time.GetUtcNow();
                _lastStart = startedAt;
            }

            var value = await read(CancellationToken.None).ConfigureAwait(false);
            var done = new CoalescedValue<T>(value, id, startedAt);
            lock (_lock)
            {
                _latest = done;
                _pending = null;
            }

            completion.SetResult(done);
        }
#pragma warning disable CA1031 // Every failure is handed to the callers waiting on this read.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_lock)
            {
                _pending = null;
            }

            completion.SetException(ex);
        }
    }
}

/// <summary>One completed read: its value, its sequence number (see <see cref="CoalescedReader{T}.Mark"/>) and when it started.</summary>
internal sealed record CoalescedValue<T>(T Value, long Id, DateTimeOffset StartedAt);
