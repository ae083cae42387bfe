namespace Rtgf.Ingestion.Snapshots;

/// <summary>The outcome of a write: the snapshot now latest, and whether this call created it.</summary>
public sealed record SnapshotWriteResult(SnapshotManifest Manifest, bool Created);
