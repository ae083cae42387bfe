using System.Net.Http.Headers;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Rtgf.Ingestion.Outbound;

/// <summary>What every client calling one host shares: its limiters and its resilience pipeline (so one circuit per host).</summary>
internal sealed class Upstream : IDisposable
{
    public Upstream(OutboundOptions options, TimeProvider time)
    {
        Limiters = new HostLimiters(options, time);
        Pipeline = Build(options, time);
    }

    public HostLimiters Limiters { get; }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    public void Dispose() => Limiters.Dispose();

    /// <summary>The server's <c>Retry-After</c> (seconds or HTTP date, relative to <paramref name="now"/>), capped; null when absent.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now, TimeSpan cap)
    {
        if (response?.Headers.RetryAfter is not RetryConditionHeaderValue header)
        {
            return null;
        }

        var delay = header.Delta ?? (header.Date is { } date ? date - now : null);
        if (delay is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > cap ? cap : value;
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(OutboundOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time, Name = options.Name };
        if (options.TotalTimeout is { } total)
        {
            builder.AddTimeout(total);
        }

        if (options.MaxRetries > 0)
        {
            var retry = new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(OutboundHandler.IsRetrySafe(args.Context) && OutboundHandler.IsTransientFailure(args.Outcome, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, time.GetUtcNow(), options.MaxRetryAfter)),
            };
            if (options.JitterSource is { } jitter)
            {
                retry.Randomizer = jitter;
            }

            builder.AddRetry(retry);
        }

        if (options.BreakerFailureThreshold > 0)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 1.0,
                MinimumThroughput = Math.Max(2, options.BreakerFailureThreshold),
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(OutboundHandler.IsTransientFailure(args.Outcome, args.Context)),
            });
        }

        if (options.AttemptTimeout is { } attempt)
        {
            builder.AddTimeout(attempt);
        }

        return builder.Build();
    }
}
