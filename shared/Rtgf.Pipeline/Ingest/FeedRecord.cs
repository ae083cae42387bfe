using Rtgf.Ingestion.Records;

namespace Rtgf.Pipeline.Ingest;

/// <summary>A fetched record and the Layer-1 table it belongs in.</summary>
public sealed record FeedRecord(string Table, ISnapshotRecord Record);
