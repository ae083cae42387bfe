using Rtgf.Pipeline.Watchtower;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The sync watchtower over the watermarks table: per source, last success, staleness (time since the last success)
/// against the schedule's expected interval, the last error, the watermark and the latest snapshot digest. A source is
/// stale when it never succeeded or its last success is more than two expected intervals old.
/// </summary>
public sealed class SyncStatusReader(ISourceStateStore states, SyncSchedules schedules) : ISyncStatusReader
{
    public const int StaleAfterIntervals = 2;

    public async Task<IReadOnlyList<SourceSyncStatus>> GetAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = new List<SourceSyncStatus>();
        foreach (var source in IngestSources.All)
        {
            var state = await states.GetAsync(source, cancellationToken).ConfigureAwait(false);
            var schedule = schedules.For(source);
            var interval = NcrontabInterval.Of(schedule);
            TimeSpan? staleness = state.LastSuccessAt is { } success ? now - success : null;
            result.Add(new SourceSyncStatus(
                source,
                schedule,
                interval,
                state.LastSuccessAt,
                state.LastSuccessRunId,
                staleness,
                staleness is not { } age || age > interval * StaleAfterIntervals,
                state.LastStatus,
                state.LastError,
                state.LastErrorAt,
                state.Watermark?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture),
                state.SnapshotDigest));
        }

        return result;
    }
}
