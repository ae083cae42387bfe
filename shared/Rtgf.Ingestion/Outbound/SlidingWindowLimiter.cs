namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// A rate limit that never grants more than <c>permits</c> in any sliding <c>period</c>: it remembers the last
/// <c>permits</c> grant times and lets the next request go only once the oldest is a full period old, with a bounded FIFO
/// queue of waiters woken by a <see cref="TimeProvider"/> timer. (A token bucket refilled to capacity each period allows up to
/// twice the limit across a period boundary, and after an idle gap a leftover token and the next period's token go back to
/// back; a provider that counts arrivals per second sees that as a violation.) The BCL limiters measure time with the wall
/// clock even when replenished by hand, which would make the rate depend on real time rather than the injected clock.
/// </summary>
internal sealed class SlidingWindowLimiter : IDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<TaskCompletionSource<bool>> _waiters = new();
    private readonly Queue<long> _granted = new();
    private readonly int _permits;
    private readonly TimeSpan _period;
    private readonly int _queueLimit;
    private readonly TimeProvider _time;
    private ITimer? _wake;
    private bool _disposed;

    public SlidingWindowLimiter(int permits, TimeSpan period, int queueLimit, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _permits = permits;
        _period = period;
        _queueLimit = queueLimit;
        _time = time;
    }

    /// <summary>Takes a permit (recording now as a send), waiting in line if the window is full; false when the line is full.</summary>
    public Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> waiter;
        LinkedListNode<TaskCompletionSource<bool>> node;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            Expire(now);
            if (_granted.Count < _permits && _waiters.Count == 0)
            {
                _granted.Enqueue(now);
                return Task.FromResult(true);
            }

            if (_waiters.Count >= _queueLimit)
            {
                return Task.FromResult(false);
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
            if (_waiters.Count == 1)
            {
                Schedule(now);
            }
        }

        // The waiter's own task: it is complete the moment a permit is granted (a test on a manual clock observes that).
        var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is not null)
                {
                    _waiters.Remove(node);
                }
            }

            waiter.TrySetCanceled(cancellationToken);
        });
        _ = waiter.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return waiter.Task;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _wake?.Dispose();
            foreach (var waiter in _waiters)
            {
                waiter.TrySetCanceled();
            }

            _waiters.Clear();
        }
    }

    /// <summary>Forgets grants a full period old (now − grant ≥ period: that grant no longer shares a sliding period with now).</summary>
    private void Expire(long now)
    {
        while (_granted.Count > 0 && _time.GetElapsedTime(_granted.Peek(), now) >= _period)
        {
            _granted.Dequeue();
        }
    }

    /// <summary>Wakes the line when the oldest grant leaves the window.</summary>
    private void Schedule(long now)
    {
        if (_disposed)
        {
            return;
        }

        var due = _granted.Count < _permits ? TimeSpan.Zero : _period - _time.GetElapsedTime(_granted.Peek(), now);
        _wake?.Dispose();
        _wake = _time.CreateTimer(_ => Release(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void Release()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            Expire(now);
            while (_granted.Count < _permits && _waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                if (first.Value.TrySetResult(true))
                {
                    _granted.Enqueue(now);
                }
            }

            if (_waiters.Count > 0)
            {
                Schedule(now);
            }
        }
    }
}
