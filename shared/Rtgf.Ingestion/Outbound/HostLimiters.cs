using System.Threading.RateLimiting;

namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// The rate limit (token bucket) and concurrency cap shared by every client that calls one host.
/// The bucket is refilled from a <see cref="TimeProvider"/> timer; the cap is a BCL <see cref="ConcurrencyLimiter"/>.
/// </summary>
internal sealed class HostLimiters : IDisposable
{
    private readonly TokenBucket? _bucket;
    private readonly ConcurrencyLimiter? _concurrency;

    public HostLimiters(OutboundOptions options, TimeProvider time)
    {
        if (options.RateLimitPermits is > 0 and var permits)
        {
            _bucket = new TokenBucket(permits, options.RateLimitPeriod, options.RateLimitQueue, time);
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

    /// <summary>Waits for a rate token, then a concurrency slot; the returned lease frees the slot.</summary>
    public async ValueTask<IDisposable?> AcquireAsync(string host, CancellationToken cancellationToken)
    {
        if (_bucket is not null)
        {
            if (!await _bucket.TryAcquireAsync(cancellationToken))
            {
                throw new OutboundRateLimitedException($"The rate limit for {host} is exhausted and its queue is full; the request was not sent.");
            }
        }

        if (_concurrency is null)
        {
            return null;
        }

        var slot = await _concurrency.AcquireAsync(1, cancellationToken);
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            throw new OutboundRateLimitedException($"The concurrency cap for {host} is exhausted; the request was not sent.");
        }

        return slot;
    }

    public void Dispose()
    {
        _bucket?.Dispose();
        _concurrency?.Dispose();
    }
}
