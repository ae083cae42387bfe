using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Ingest;

/// <summary>A whole-list source's complete, parsed download: every record, and where it came from.</summary>
public sealed record FeedFetch(IReadOnlyList<FeedRecord> Records, IReadOnlyList<SnapshotProvenance> Provenance);
