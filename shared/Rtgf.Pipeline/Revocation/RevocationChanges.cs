namespace Rtgf.Pipeline.Revocation;

/// <summary>
/// A page of the revocation feed and the epoch it was read up to: <see cref="CompleteEpoch"/> is the last epoch whose
/// revocations were all stored when the page was read (the feed serves no change after it).
/// </summary>
public sealed record RevocationChanges(long CompleteEpoch, IReadOnlyList<RevocationRecord> Changes);
