namespace Rtgf.Pipeline.Enrichment;

/// <summary>What one timer tick or page message did.</summary>
public enum EnrichOutcomeKind
{
    /// <summary>Timer: the kill switch is off; nothing started.</summary>
    Disabled,

    /// <summary>Timer: a new run started and its page 0 was sent.</summary>
    Started,

    /// <summary>Timer: a paused run was resumed from its cursor.</summary>
    Resumed,

    /// <summary>Timer: the active run had stalled; its current page was sent again.</summary>
    Recovered,

    /// <summary>Timer: the active run is progressing; nothing to do.</summary>
    Running,

    /// <summary>Page: enriched and advanced; the successor was sent.</summary>
    Advanced,

    /// <summary>Page: the last page (or its redelivery, repeating the completion's bookkeeping); the run is done.</summary>
    Completed,

    /// <summary>Page: the kill switch or a quota/credential error paused the run; no successor.</summary>
    Paused,

    /// <summary>Page: the geocoder stayed busy after the client's retries; the same page was sent again for later (<c>Enrich:BusyDelay</c>).</summary>
    Deferred,

    /// <summary>Page: already done, and its successor was lost (a crash between the advance and the send): sent again.</summary>
    Resent,

    /// <summary>Page: a duplicate, late or foreign message (or a concurrent delivery that lost the advance): no effect.</summary>
    Ignored,
}

/// <summary>The outcome, the run as left, and the message sent (at most one).</summary>
public sealed record EnrichOutcome(EnrichOutcomeKind Kind, EnrichRun? Run, EnrichPageMessage? Sent = null, string? Reason = null);
