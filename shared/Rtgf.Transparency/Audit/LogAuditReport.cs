namespace Rtgf.Transparency.Audit;

/// <summary>
/// The outcome of a whole-log audit. <see cref="Size"/> and <see cref="RootHash"/> are the checkpoint's (null when there is none
/// or it cannot be read); <see cref="TilesRootHash"/> is the root a client computes from the stored tiles for that size.
/// </summary>
public sealed record LogAuditReport(
    string? Origin,
    long? Size,
    string? RootHash,
    string? TilesRootHash,
    long EntriesChecked,
    long TilesChecked,
    long StoredPartialsChecked,
    IReadOnlyList<LogAuditFinding> Findings,
    long FindingCount)
{
    public bool IsClean => FindingCount == 0;

    public bool HasCheckpoint => Size is not null;

    /// <summary>More findings were counted than kept (the audit's cap).</summary>
    public bool IsTruncated => FindingCount > Findings.Count;
}
