namespace Rtgf.Pipeline.Messages;

/// <summary>
/// Sent when an ingest run cut a new snapshot. The compiler compiles the latest snapshot of every source the policy
/// matrix reads; <see cref="Source"/>/<see cref="SnapshotDigest"/> say what triggered it (for the record and dedupe).
/// </summary>
public sealed record CompileRequest(string Source, string SnapshotDigest, string RunId);
