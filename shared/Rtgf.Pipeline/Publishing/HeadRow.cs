namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The registry head, moved only by compare-and-swap: the revocation epoch, the next status-list index per family (monotonic,
/// never reused), the publication in progress (its plan) and the latest completed one. <see cref="CompleteEpoch"/> is the
/// epoch every revocation of which is stored: written at adoption (the epoch before the plan's, all stored since nothing was
/// in progress) and at completion; null on heads stored before it existed.
/// </summary>
internal sealed record HeadRow(
    long Epoch,
    IReadOnlyDictionary<string, long> NextIndex,
    string? InProgress,
    string? PlanPath,
    string? LatestPublication,
    long? CompleteEpoch = null)
{
    /// <summary>
    /// The last epoch whose revocations are all stored. With a publication in progress and no recorded value (a head adopted
    /// before the field existed), the epoch before the head's: possibly one too low, never a partial epoch.
    /// </summary>
    public long LastCompleteEpoch() => InProgress is null ? Epoch : CompleteEpoch ?? Epoch - 1;
}
