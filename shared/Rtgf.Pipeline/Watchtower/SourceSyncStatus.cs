namespace Rtgf.Pipeline.Watchtower;

/// <summary>
/// One source in the sync watchtower: its schedule, last success, staleness against the schedule, last error and the
/// current watermark (TGA's modified-since instant; null for whole-list sources); <see cref="Progress"/> is the current run of
/// a paged source (the enrichment self-chain), null for the others.
/// </summary>
public sealed record SourceSyncStatus(
    string Source,
    string Schedule,
    TimeSpan ExpectedInterval,
    DateTimeOffset? LastSuccessAt,
    string? LastSuccessRunId,
    TimeSpan? Staleness,
    bool IsStale,
    string? LastStatus,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    string? Watermark,
    string? LatestSnapshotDigest,
    SyncProgress? Progress = null);
