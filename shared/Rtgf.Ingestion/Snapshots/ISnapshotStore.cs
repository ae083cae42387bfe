namespace Rtgf.Ingestion.Snapshots;

/// <summary>
/// Keeps immutable, content-addressed snapshots per source and a pointer to each source's latest. A snapshot is
/// complete or absent: readers never see records without their manifest.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>
    /// Stores <paramref name="snapshot"/> and makes it the source's latest. When the latest already has the same
    /// digest nothing is written and the existing manifest is returned with <c>Created = false</c> (no change, no snapshot).
    /// </summary>
    Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>The source's latest complete snapshot, or null.</summary>
    Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default);

    /// <summary>A complete snapshot by digest (<c>sha256:…</c>), or null when absent or incomplete.</summary>
    Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default);
}
