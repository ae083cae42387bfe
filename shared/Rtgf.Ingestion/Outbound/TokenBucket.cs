namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// A token bucket refilled by a <see cref="TimeProvider"/> timer, with a bounded FIFO queue of waiters.
/// The BCL <c>TokenBucketRateLimiter</c> measures its refill with the wall clock even when replenished by hand,
/// which would make the rate depend on real time rather than the injected clock.
/// </summary>
internal sealed class TokenBucket : IDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private readonly int _capacity;
    private readonly int _queueLimit;
    private readonly ITimer _refill;
    private int _tokens;

    public TokenBucket(int permitsPerPeriod, TimeSpan period, int queueLimit, TimeProvider time)
    {
        _capacity = permitsPerPeriod;
        _tokens = permitsPerPeriod;
        _queueLimit = queueLimit;
        _refill = time.CreateTimer(_ => Refill(), null, period, period);
    }

    /// <summary>Takes a token, waiting in line if none is left; false when the line is full.</summary>
    public Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_tokens > 0 && _waiters.Count == 0)
            {
                _tokens--;
                return Task.FromResult(true);
            }

            if (_waiters.Count >= _queueLimit)
            {
                return Task.FromResult(false);
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        return WaitAsync(waiter, node, cancellationToken);
    }

    public void Dispose()
    {
        _refill.Dispose();
        lock (_gate)
        {
            foreach (var waiter in _waiters)
            {
                waiter.TrySetCanceled();
            }

            _waiters.Clear();
        }
    }

    private async Task<bool> WaitAsync(TaskCompletionSource waiter, LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() =>
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
        await waiter.Task;
        return true;
    }

    private void Refill()
    {
        lock (_gate)
        {
            _tokens = _capacity;
            while (_tokens > 0 && _waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                if (first.Value.TrySetResult())
                {
                    _tokens--;
                }
            }
        }
    }
}
