namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// One row of the watermarks table: per source, the TGA modified-since watermark, the latest snapshot digest, the current
/// Layer-1 generation (whole-list sources) and the last run's outcome (what the sync watchtower reads).
/// <see cref="OrganisationRecords"/> is the version of the TGA mirror's organisation records, recorded with the watermark
/// once a window that read every organisation completes (<see cref="TgaSyncWorker.OrganisationRecordVersion"/>; null: before
/// versions were recorded). <see cref="ComponentRecords"/> is the same for the mirror's component records
/// (<see cref="TgaSyncWorker.ComponentRecordVersion"/>). <see cref="Cursor"/> and <see cref="Plan"/> are a cursor-driven
/// worker's position and its planned next step, as JSON only that worker reads (the radar: docs/spec/radar.md); both are
/// moved by the store's compare-and-swap like every other member.
/// </summary>
public sealed record SourceState(
    string Source,
    DateTimeOffset? Watermark = null,
    string? SnapshotDigest = null,
    string? Generation = null,
    string? LastRunId = null,
    string? LastStatus = null,
    DateTimeOffset? LastSuccessAt = null,
    string? LastSuccessRunId = null,
    string? LastError = null,
    DateTimeOffset? LastErrorAt = null,
    int? OrganisationRecords = null,
    int? ComponentRecords = null,
    string? Cursor = null,
    string? Plan = null);
