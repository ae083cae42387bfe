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

    /// <summary>
    /// How long a page's claim lasts (<c>Enrich:PageLease</c>, default the function timeout, 10 minutes): another delivery of
    /// the page within it returns without effect; after it (a crashed holder), a delivery may take the page.
    /// </summary>
    public TimeSpan PageLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>When the geocoder stays busy after the client's retries, the page is sent again this much later (<c>Enrich:BusyDelay</c>).</summary>
    public TimeSpan BusyDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A new run starts this long after the last one completed (<c>Enrich:RunEvery</c>); the timer itself runs every 10 minutes.</summary>
    public TimeSpan RunEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>An active run whose page message is not known to be sent is re-sent by the timer after this grace (<c>Enrich:ResendAfter</c>).</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A stored geocode for the same query younger than this is reused instead of asking again (<c>Enrich:GeocodeMaxAge</c>,
    /// default 30 days; zero turns reuse off). Google's terms on caching geocodes were not verified (docs/research/geocoding.md).
    /// </summary>
    public TimeSpan GeocodeMaxAge { get; set; } = TimeSpan.FromDays(30);
}
