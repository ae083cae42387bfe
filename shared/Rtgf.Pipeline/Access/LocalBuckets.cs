using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Rtgf.Pipeline.Access;

/// <summary>
/// Per-instance token buckets (<see cref="TokenBucketRateLimiter"/>), one per partition (a key id, a client address): they
/// absorb bursts without touching storage. The buckets are refilled from the injected <see cref="TimeProvider"/>, not by the
/// limiter's own timer (which runs on the wall clock): with <c>AutoReplenishment = false</c> each
/// <see cref="TokenBucketRateLimiter.TryReplenish"/> adds one period's tokens, and we call it once per period elapsed.
/// </summary>
public sealed class LocalBuckets(TimeProvider time) : IDisposable
{
    /// <summary>Past this many buckets, full (idle) ones are dropped: they hold no state a new bucket would not have.</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public int Count => _buckets.Count;

    /// <summary>Takes a token from <paramref name="partition"/>'s bucket; when it is empty, how long until the next token.</summary>
    public bool TryAcquire(string partition, int burst, int perMinute, out TimeSpan retryAfter, out int remaining)
    {
        var now = time.GetUtcNow();
        var bucket = _buckets.GetOrAdd(partition, static (_, state) => new Bucket(state.burst, state.perMinute, state.now), (burst, perMinute, now));
        if (_buckets.Count > SweepAbove)
        {
            Sweep(now);
        }

        return bucket.TryAcquire(now, out retryAfter, out remaining);
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }

        _buckets.Clear();
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (partition, bucket) in _buckets)
        {
            if (bucket.IsFullAt(now) && _buckets.TryRemove(new KeyValuePair<string, Bucket>(partition, bucket)))
            {
                bucket.Dispose();
            }
        }
    }

    private sealed class Bucket : IDisposable
    {
        private readonly TokenBucketRateLimiter _limiter;
        private readonly TimeSpan _period;
        private readonly int _burst;
        private readonly Lock _gate = new();
        private DateTimeOffset _replenished;

        public Bucket(int burst, int perMinute, DateTimeOffset now)
        {
            _burst = burst;
            _period = TimeSpan.FromMinutes(1) / perMinute;
            _replenished = now;
            _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = _period,
                QueueLimit = 0,
                AutoReplenishment = false,
            });
        }

        public bool TryAcquire(DateTimeOffset now, out TimeSpan retryAfter, out int remaining)
        {
            lock (_gate)
            {
                var periods = now > _replenished ? (long)((now - _replenished) / _period) : 0;
                if (periods >= _burst)
                {
                    periods = _burst;
                    _replenished = now;
                }
                else
                {
                    _replenished += _period * periods;
                }

                for (var i = 0; i < periods; i++)
                {
                    _limiter.TryReplenish();
                }

                using var lease = _limiter.AttemptAcquire(1);
                remaining = (int)(_limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);
                retryAfter = lease.IsAcquired ? TimeSpan.Zero : _period - (now - _replenished);
                return lease.IsAcquired;
            }
        }

        public bool IsFullAt(DateTimeOffset now)
        {
            lock (_gate)
            {
                return now - _replenished >= _period * _burst;
            }
        }

        public void Dispose() => _limiter.Dispose();
    }
}
