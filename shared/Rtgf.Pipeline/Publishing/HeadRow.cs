namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The registry head, moved only by compare-and-swap: the revocation epoch, the next status-list index per family (monotonic,
/// never reused), the publication in progress (its plan) and the latest completed one.
/// </summary>
internal sealed record HeadRow(
    long Epoch,
    IReadOnlyDictionary<string, long> NextIndex,
    string? InProgress,
    string? PlanPath,
    string? LatestPublication);
