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
    public bool TryAcquire(string partition, int burst, int perMinute, out TimeSpan retryAfter, out int remaining) =>
        TryAcquire(partition, burst, perMinute, out retryAfter, out remaining, out _);

    /// <summary>
    /// As above; <paramref name="fullIn"/> is how long until the bucket holds its whole burst again (what a client may
    /// spend from then on), zero when it is full.
    /// </summary>
    public bool TryAcquire(string partition, int burst, int perMinute, out TimeSpan retryAfter, out int remaining, out TimeSpan fullIn)
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

        return bucket.TryAcquire(now, out retryAfter, out remaining, out fullIn);
    }

    /// <summary>
    /// Puts back a token taken for a request that was then refused for another reason (a used-up monthly quota), so the
    /// refusal costs the client nothing from its per-minute rate. Never past the burst.
    /// </summary>
    public void GiveBack(string partition)
    {
        if (_buckets.TryGetValue(partition, out var bucket))
        {
            bucket.GiveBack();
        }
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

        public bool TryAcquire(DateTimeOffset now, out TimeSpan retryAfter, out int remaining, out TimeSpan fullIn)
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

                // The next token comes one period after the last refill, the last missing one (burst - tokens) periods after it.
                if (_tokens > 0)
                {
                    _tokens--;
                    remaining = _tokens;
                    retryAfter = TimeSpan.Zero;
                    fullIn = _refilled + (_period * (_burst - _tokens)) - now;
                    return true;
                }

                remaining = 0;
                retryAfter = _period - (now - _refilled);
                fullIn = _refilled + (_period * _burst) - now;
                return false;
            }
        }

        public void GiveBack()
        {
            lock (_gate)
            {
                _tokens = Math.Min(_burst, _tokens + 1);
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
