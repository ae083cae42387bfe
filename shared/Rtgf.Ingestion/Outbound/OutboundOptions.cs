namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// How calls to one upstream behave, bound from configuration (e.g. section <c>Upstreams:Tga</c>).
/// Base address and credentials come from here, never from code.
/// </summary>
public sealed class OutboundOptions
{
    /// <summary>The upstream's name, used as the metric/log dimension (e.g. <c>tga-soap</c>).</summary>
    public string Name { get; set; } = "upstream";

    public Uri? BaseAddress { get; set; }

    public UpstreamCredentials? Credentials { get; set; }

    /// <summary>Limit for one attempt (request and buffered response body); null for none.</summary>
    public TimeSpan? AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit for the whole call including retries and their delays; null for none.</summary>
    public TimeSpan? TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> honoured; longer answers are cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Rate limit per host: at most this many requests in any sliding <see cref="RateLimitPeriod"/>; null or 0 disables rate limiting.</summary>
    public int? RateLimitPermits { get; set; }

    public TimeSpan RateLimitPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests that may wait for a permit; more are rejected with <see cref="OutboundRateLimitedException"/>.</summary>
    public int RateLimitQueue { get; set; } = 100;

    /// <summary>Requests in flight per host; null or 0 for no cap.</summary>
    public int? MaxConcurrency { get; set; } = 2;

    /// <summary>Failed attempts (within <see cref="BreakerSamplingDuration"/>, all failing) that open the circuit; 0 disables it.</summary>
    public int BreakerFailureThreshold { get; set; } = 5;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Jitter source for backoff; tests pin it, production leaves Polly's default.</summary>
    internal Func<double>? JitterSource { get; set; }
}
