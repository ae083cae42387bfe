namespace Rtgf.Pipeline.Ingest;

/// <summary>How the ingest workers behave (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Where the first TGA run starts its modified-since window.</summary>
    public DateTimeOffset TgaInitialWatermark { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Codes per <c>rtgf-tga-ingest</c> message.</summary>
    public int TgaBatchSize { get; set; } = 50;

    /// <summary>GetDetails calls in flight per batch (the outbound pipeline still caps per host).</summary>
    public int DetailConcurrency { get; set; } = 4;
}
