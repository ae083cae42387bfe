namespace Rtgf.Pipeline.Ingest;

/// <summary>A row as read back, with the version tag a conditional write must match.</summary>
public sealed record StoredRow(MirrorRow Row, string ETag);
