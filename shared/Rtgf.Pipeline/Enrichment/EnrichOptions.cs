namespace Rtgf.Pipeline.Enrichment;

/// <summary>How the enrichment self-chain behaves (section <c>Enrich</c>, docs/spec/enrichment.md).</summary>
public sealed class EnrichOptions
{
    public const string SectionName = "Enrich";

    /// <summary>The kill switch (<c>Enrich:Enabled</c>): false starts nothing and pauses the chain at its next message, resumable.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>RTOs per page, i.e. per <c>rtgf-enrich-sync</c> message (<c>Enrich:PageSize</c>).</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>RTOs of a page enriched at once (<c>Enrich:Concurrency</c>); the geocoder's rate limit still applies across them.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// An active run without progress for this long has lost its message (poisoned, or a crash between the run's advance and
    /// the successor's send): the timer re-sends its current page (<c>Enrich:StallAfter</c>).
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(30);
}
