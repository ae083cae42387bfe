namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// A stored record: its table keys, its snapshot key, its canonical JSON and digest, the upstream modified time that
/// orders versions, whether it is a tombstone, and the run that wrote it.
/// </summary>
public sealed record MirrorRow(
    string PartitionKey,
    string RowKey,
    string RecordKey,
    string Json,
    string Digest,
    DateTimeOffset Modified,
    bool Deleted,
    string RunId);
