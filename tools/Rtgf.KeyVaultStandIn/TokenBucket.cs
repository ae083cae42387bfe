namespace Rtgf.KeyVaultStandIn;

/// <summary>Key Vault's throttling as a token bucket: <c>rate</c> operations per second, bursts up to <c>rate</c>.</summary>
internal sealed class TokenBucket(double operationsPerSecond, TimeProvider timeProvider)
{
    /// <summary>
    /// A client that waits exactly the Retry-After it was given must be served: its timer may fire a millisecond or two early
    /// against this clock, so a token that is that close to whole counts (capped, so high rates gain no real burst).
    /// </summary>
    private static readonly TimeSpan ClockSlop = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private double _tokens = Math.Max(1, operationsPerSecond);
    private long _last = timeProvider.GetTimestamp();

    /// <summary>Takes one token; when none is left returns the whole seconds until one is (at least 1).</summary>
    public bool TryTake(out int retryAfterSeconds)
    {
        lock (_gate)
        {
            var now = timeProvider.GetTimestamp();
            var capacity = Math.Max(1, operationsPerSecond);
            _tokens = Math.Min(capacity, _tokens + (timeProvider.GetElapsedTime(_last, now).TotalSeconds * operationsPerSecond));
            _last = now;
            if (_tokens + Math.Min(ClockSlop.TotalSeconds * operationsPerSecond, 0.05) >= 1)
            {
                _tokens -= 1;
                retryAfterSeconds = 0;
                return true;
            }

            retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((1 - _tokens) / operationsPerSecond));
            return false;
        }
    }
}
