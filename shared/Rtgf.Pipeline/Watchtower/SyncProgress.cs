namespace Rtgf.Pipeline.Watchtower;

/// <summary>
/// A paged source's current run as the watchtower shows it (today the enrichment self-chain): its page (the next to do),
/// RTOs done of the total, the cursor, status (<c>active</c>, <c>paused</c>, <c>done</c>), why it is paused and its last error.
/// </summary>
public sealed record SyncProgress(
    string RunId,
    string Status,
    int Page,
    int Done,
    int Total,
    string? Cursor,
    DateTimeOffset UpdatedAt,
    string? PausedReason,
    string? LastError);
