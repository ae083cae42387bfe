using System.Diagnostics.Metrics;

namespace Rtgf.Core.Telemetry;

/// <summary>
/// The instruments on <see cref="RtgfTelemetry.Meter"/> (docs/spec/telemetry.md#metrics): names <c>rtgf.*</c>, UCUM units.
/// Each is recorded where the value is known (the spec lists the place); alerts and the workbook name only these, which a
/// test checks. Observable values (staleness, backlog, drift) are recorded when they are measured, as gauges.
/// </summary>
public static class RtgfMetrics
{
    public const string FunctionDuration = "rtgf.function.duration";
    public const string FunctionActive = "rtgf.function.active";
    public const string QueueAge = "rtgf.queue.age";
    public const string QueueDequeueCount = "rtgf.queue.dequeue_count";
    public const string TokenCacheLookups = "rtgf.token.cache.lookups";
    public const string TransparencyProofDuration = "rtgf.transparency.proof.duration";
    public const string DatasetFetchFailures = "rtgf.dataset.fetch.failures";
    public const string RevocationStaleness = "rtgf.revocation.staleness";
    public const string RevocationEpochDrift = "rtgf.revocation.epoch_drift";
    public const string WebhookBacklog = "rtgf.webhook.backlog";

    /// <summary>Every function invocation: tags <c>function</c>, <c>trigger</c>, <c>outcome</c> (success, failure, or the HTTP status class).</summary>
    public static readonly Histogram<double> FunctionDurationMs =
        RtgfTelemetry.Meter.CreateHistogram<double>(FunctionDuration, "ms", "Function invocation duration; traffic and errors are its count by outcome.");

    /// <summary>Invocations running now on this instance (saturation): tags <c>function</c>, <c>trigger</c>.</summary>
    public static readonly UpDownCounter<long> FunctionActiveCount =
        RtgfTelemetry.Meter.CreateUpDownCounter<long>(FunctionActive, "{invocation}", "Function invocations in progress on this instance.");

    /// <summary>Seconds a queue message waited between insertion and this delivery: tags <c>function</c>, <c>queue</c>.</summary>
    public static readonly Histogram<double> QueueAgeSeconds =
        RtgfTelemetry.Meter.CreateHistogram<double>(QueueAge, "s", "Queue message age at dequeue (insertion to delivery).");

    /// <summary>The delivery's dequeue count (1 = first try): tags <c>function</c>, <c>queue</c>.</summary>
    public static readonly Histogram<long> QueueDequeueCountHistogram =
        RtgfTelemetry.Meter.CreateHistogram<long>(QueueDequeueCount, "{delivery}", "Dequeue count of each delivered queue message (retries show as > 1).");

    /// <summary>Token reads answered from the in-memory cache or not: tag <c>hit</c> (true/false). Hit ratio = hits / all.</summary>
    public static readonly Counter<long> TokenCacheLookupCount =
        RtgfTelemetry.Meter.CreateCounter<long>(TokenCacheLookups, "{lookup}", "Token cache lookups by hit.");

    /// <summary>Time to build a transparency inclusion/consistency proof: tag <c>kind</c>.</summary>
    public static readonly Histogram<double> TransparencyProofDurationMs =
        RtgfTelemetry.Meter.CreateHistogram<double>(TransparencyProofDuration, "ms", "Transparency proof build time.");

    /// <summary>Ingest runs that failed to fetch their upstream: tag <c>source</c>.</summary>
    public static readonly Counter<long> DatasetFetchFailureCount =
        RtgfTelemetry.Meter.CreateCounter<long>(DatasetFetchFailures, "{run}", "Ingest runs that ended failed, by source.");

    /// <summary>
    /// <see cref="RevocationStaleness"/> is an observable gauge the verifier's status-list cache registers (its state is per
    /// instance): seconds since its last successful revocation epoch read.
    /// </summary>
    public const string RevocationStalenessDescription = "Seconds since the verifier last read the revocation epoch successfully.";

    /// <summary><see cref="RevocationEpochDrift"/>, observable like staleness: newest epoch seen minus the one served (0 when current).</summary>
    public const string RevocationEpochDriftDescription = "Newest revEpoch seen minus served revEpoch.";

    /// <summary>Webhook deliveries waiting (queued, not yet delivered or dead-lettered).</summary>
    public static readonly Gauge<long> WebhookBacklogCount =
        RtgfTelemetry.Meter.CreateGauge<long>(WebhookBacklog, "{delivery}", "Webhook deliveries waiting to be delivered.");

    /// <summary>Every instrument name above (the monitoring test compares alerts/workbook against these).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        FunctionDuration, FunctionActive, QueueAge, QueueDequeueCount, TokenCacheLookups, TransparencyProofDuration,
        DatasetFetchFailures, RevocationStaleness, RevocationEpochDrift, WebhookBacklog,
    ];
}
