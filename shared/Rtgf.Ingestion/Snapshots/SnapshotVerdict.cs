namespace Rtgf.Ingestion.Snapshots;

/// <summary>Whether a regulator-signed snapshot was accepted: the snapshot if so, else the reason it was rejected.</summary>
public sealed record SnapshotVerdict(Snapshot? Snapshot, string? Reason)
{
    public bool IsAccepted => Snapshot is not null;
}
