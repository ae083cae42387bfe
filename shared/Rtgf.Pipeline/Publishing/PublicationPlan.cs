namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// What one publication does, decided once and stored immutably before anything is written, so that every retry executes
/// the same decisions: tokens to issue (with their status-list slots), tokens to revoke, and the epoch it leaves.
/// </summary>
internal sealed record PublicationPlan(
    string Key,
    string Kind,
    string? BuildId,
    DateTimeOffset At,
    long Epoch,
    IReadOnlyList<string> SnapshotIds,
    string CompilerVersion,
    IReadOnlyList<PlannedIssue> Issues,
    IReadOnlyList<PlannedRevocation> Revocations,
    long Unchanged,
    string? Actor);
