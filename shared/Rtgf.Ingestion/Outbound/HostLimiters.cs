using System.Threading.RateLimiting;

namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// The rate limit (at most n requests in any sliding period, <see cref="SlidingWindowLimiter"/>) and concurrency cap shared by
/// every client that calls one host. The limit is timed by a <see cref="TimeProvider"/>; the cap is a BCL
/// <see cref="ConcurrencyLimiter"/>. The slot is taken first and the rate permit last, right before the send: a request
/// queued for a slot holds no permit, so permits granted while it waited cannot all go out at once when slots free up.
/// </summary>
internal sealed class HostLimiters : IDisposable
{
    private readonly SlidingWindowLimiter? _rate;
    private readonly ConcurrencyLimiter? _concurrency;

    public HostLimiters(OutboundOptions options, TimeProvider time)
    {
        if (options.RateLimitPermits is > 0 and var permits)
        {
            _rate = new SlidingWindowLimiter(permits, options.RateLimitPeriod, options.RateLimitQueue, time);
        }

        if (options.MaxConcurrency is > 0 and var cap)
        {
            _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = cap,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }
    }

    /// <summary>Waits for a concurrency slot, then a rate permit (the send follows at once); the returned lease frees the slot.</summary>
    public async ValueTask<IDisposable?> AcquireAsync(string host, CancellationToken cancellationToken)
    {
        RateLimitLease? slot = null;
        if (_concurrency is not null)
        {
            slot = await _concurrency.AcquireAsync(1, cancellationToken);
            if (!slot.IsAcquired)
            {
                slot.Dispose();
                throw new OutboundRateLimitedException($"The concurrency cap for {host} is exhausted; the request was not sent.");
            }
        }

        try
        {
            if (_rate is not null && !await _rate.TryAcquireAsync(cancellationToken))
            {
                throw new OutboundRateLimitedException($"The rate limit for {host} is exhausted and its queue is full; the request was not sent.");
            }
        }
        catch
        {
            slot?.Dispose();
            throw;
        }

        return slot;
    }

    public void Dispose()
    {
        _rate?.Dispose();
        _concurrency?.Dispose();
    }
}
