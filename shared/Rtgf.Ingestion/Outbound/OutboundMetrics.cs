using System.Diagnostics.Metrics;

namespace Rtgf.Ingestion.Outbound;

/// <summary>The instruments of meter <c>Rtgf.Outbound</c>: one measurement of each per attempt.</summary>
internal static class OutboundMetrics
{
    public const string MeterName = "Rtgf.Outbound";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Attempts, tagged upstream, host, operation, status (HTTP code or an error name) and attempt number.</summary>
    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>("rtgf.outbound.attempts", "{attempt}");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("rtgf.outbound.duration", "s");

    public static readonly Counter<long> ResponseBytes = Meter.CreateCounter<long>("rtgf.outbound.response.bytes", "By");
}
