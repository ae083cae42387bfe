using System.Diagnostics.Metrics;

namespace Rtgf.Pipeline.Publishing;

/// <summary>The pipeline's metrics (meter <c>Rtgf.Pipeline</c>).</summary>
public static class PipelineMetrics
{
    public const string MeterName = "Rtgf.Pipeline";

    public const string DeterminismFailuresName = "rtgf.pipeline.determinism_failures";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>QA rebuilds whose manifest differed from the compiled one.</summary>
    public static Counter<long> DeterminismFailures { get; } = Meter.CreateCounter<long>(DeterminismFailuresName, unit: "{build}", description: "QA rebuilds whose manifest differed byte for byte.");
}
