namespace Rtgf.Pipeline.Enrichment;

/// <summary>
/// The enrichment run's row (the self-chain's state): <see cref="Page"/> is the next page to do and <see cref="After"/> its
/// cursor (the last RTO code of the page before; null before the first), <see cref="Done"/> of <see cref="Total"/> RTOs are
/// enriched, with the geocoder's outcomes counted. <see cref="Sent"/>: the message for <see cref="Page"/> is known to be on the
/// queue (set after the send; a duplicate of the page before re-sends it only while this is false). Advanced only by
/// compare-and-swap on the row's ETag. <see cref="ClaimPage"/>/<see cref="ClaimUntil"/>: a delivery is enriching that page
/// until then (another delivery of it returns without effect; a crashed holder's claim lapses). <see cref="Refused"/>: RTOs
/// whose address the geocoder refused; <see cref="Reused"/>: geocodes reused from an earlier run; <see cref="Skipped"/>: RTOs
/// that are not current (not enriched).
/// </summary>
public sealed record EnrichRun(
    string RunId,
    string Status,
    int Page,
    string? After,
    int Done,
    int Total,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    bool Sent = false,
    int Geocoded = 0,
    int NoResult = 0,
    int NoAddress = 0,
    int Websites = 0,
    DateTimeOffset? CompletedAt = null,
    string? PausedReason = null,
    string? LastError = null,
    DateTimeOffset? LastErrorAt = null,
    int? ClaimPage = null,
    DateTimeOffset? ClaimUntil = null,
    int Refused = 0,
    int Reused = 0,
    int Skipped = 0);
