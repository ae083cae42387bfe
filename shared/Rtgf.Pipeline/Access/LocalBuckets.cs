using System.Collections.Concurrent;

namespace Rtgf.Pipeline.Access;

/// <summary>
/// Per-instance token buckets, one per partition (a key id, a client address): they absorb bursts without touching
/// storage, and refill from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class LocalBuckets(TimeProvider time)
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

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (partition, bucket) in _buckets)
        {
            if (bucket.IsFullAt(now))
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(partition, bucket));
            }
        }
    }

    /// <summary>
    /// One token bucket on the injected clock: <c>burst</c> tokens, one more every minute/<c>perMinute</c>. Not
    /// <c>System.Threading.RateLimiting.TokenBucketRateLimiter</c>: it refills from <c>Stopwatch</c> even when replenished by
    /// hand, so its time cannot be injected (ADR 0020).
    /// </summary>
    private sealed class Bucket
    {
        private readonly Lock _gate = new();
        private readonly int _burst;
        private readonly TimeSpan _period;
        private DateTimeOffset _refilled;
        private int _tokens;

        public Bucket(int burst, int perMinute, DateTimeOffset now)
        {
            _burst = burst;
            _period = TimeSpan.FromTicks(Math.Max(1, TimeSpan.FromMinutes(1).Ticks / perMinute));
            _refilled = now;
            _tokens = burst;
        }

        public bool TryAcquire(DateTimeOffset now, out TimeSpan retryAfter, out int remaining)
        {
            lock (_gate)
            {
                if (now > _refilled)
                {
                    var periods = (long)((now - _refilled) / _period);
                    if (_tokens + periods >= _burst)
                    {
                        _tokens = _burst;
                        _refilled = now;
                    }
                    else
                    {
                        _tokens += (int)periods;
                        _refilled += _period * periods;
                    }
                }

                if (_tokens > 0)
                {
                    _tokens--;
                    remaining = _tokens;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }

                remaining = 0;
                retryAfter = _period - (now - _refilled);
                return false;
            }
        }

        public bool IsFullAt(DateTimeOffset now)
        {
            lock (_gate)
            {
                return _tokens + ((now - _refilled) / _period) >= _burst;
            }
        }
    }
}
