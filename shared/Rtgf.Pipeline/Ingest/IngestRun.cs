namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// One row of the ingest-runs table. <see cref="Records"/> counts records fetched, <see cref="Changed"/> rows written;
/// <see cref="Batches"/> is the TGA fan-out size. <see cref="ServerTime"/> is the upstream clock the run read (TGA: the
/// watermark it moves to). <see cref="PreviousSnapshotDigest"/> is the source's latest digest when the run started.
/// </summary>
public sealed record IngestRun(
    string RunId,
    string Source,
    IngestTrigger Trigger,
    DateTimeOffset StartedAt,
    string Status,
    DateTimeOffset? EndedAt = null,
    long Records = 0,
    long Changed = 0,
    int Batches = 0,
    string? Error = null,
    IReadOnlyList<IngestStep>? Steps = null,
    DateTimeOffset? ServerTime = null,
    DateTimeOffset? WindowStart = null,
    string? SnapshotDigest = null,
    string? PreviousSnapshotDigest = null,
    DateTimeOffset? OrganisationsWindowStart = null,
    DateTimeOffset? ComponentsWindowStart = null)
{
    public IReadOnlyList<IngestStep> StepList => Steps ?? [];
}
