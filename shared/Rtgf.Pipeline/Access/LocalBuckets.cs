using System.Collections.Concurrent;

namespace Rtgf.Pipeline.Access;

/// <summary>
/// Per-instance token buckets, one per partition (a key id, a client address): they absorb bursts without touching
/// storage, and refill from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class LocalBuckets(TimeProvider time)
{
    /// <summary>Past this many buckets, full (idle) ones are dropped (at most once per sweep interval): they hold no state a new bucket would not have.</summary>
    private const int SweepAbove = 10_000;

    /// <summary>
    /// At most this many buckets: past it, new partitions share one overflow bucket until a sweep makes room, so a flood of
    /// addresses costs bounded memory and the flood shares one limit instead of getting one each.
    /// </summary>
    public const int MaxBuckets = 100_000;

    private const string Overflow = "\0overflow";

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly SweepSchedule _sweeps = new(TimeSpan.FromSeconds(10));

    public int Count => _buckets.Count;

    /// <summary>Takes a token from <paramref name="partition"/>'s bucket; when it is empty, how long until the next token.</summary>
    public bool TryAcquire(string partition, int burst, int perMinute, out TimeSpan retryAfter, out int remaining)
    {
        var now = time.GetUtcNow();
        if (_buckets.Count > SweepAbove && _sweeps.TryStart(now))
        {
            Sweep(now);
        }

        if (!_buckets.ContainsKey(partition) && _buckets.Count >= MaxBuckets)
        {
            partition = Overflow;
        }

        var bucket = _buckets.GetOrAdd(partition, static (_, state) => new Bucket(state.burst, state.perMinute, state.now), (burst, perMinute, now));

        return bucket.TryAcquire(now, out retryAfter, out remaining);
    }

    /// <summary>
    /// Drops full buckets. A request that took a bucket just before it was dropped spends a token from the dropped copy, and
    /// the next request starts a new full one: at most one extra token per race, as a full bucket held them anyway.
    /// </summary>
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
