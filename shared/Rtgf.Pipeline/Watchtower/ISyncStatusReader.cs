namespace Rtgf.Pipeline.Watchtower;

/// <summary>Summarises the ingest-runs table per source for <c>GET /ops/sync-status</c>.</summary>
public interface ISyncStatusReader
{
    /// <summary>Every configured source, ordered by name, as of <paramref name="now"/>.</summary>
    Task<IReadOnlyList<SourceSyncStatus>> GetAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
