namespace Rtgf.Ingestion.Snapshots;

/// <summary>
/// Where a snapshot's data came from: one upstream URL and operation, with the version marker the upstream gave
/// (an <c>ETag</c>, or its server time for services without one).
/// </summary>
public sealed record SnapshotProvenance(string Url, string Operation, string? ETag = null, DateTimeOffset? ServerTime = null);
