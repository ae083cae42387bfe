using System.Collections.Concurrent;
using Rtgf.Pipeline.Enrichment;
using Rtgf.Pipeline.Scheduling;
using Rtgf.Pipeline.Watchtower;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The sync watchtower over the watermarks table: per source, last success, staleness (time since the last success)
/// against the schedule's expected interval, the last error, the watermark and the latest snapshot digest. A source is
/// stale when it never succeeded or its last success is more than two expected intervals old. A schedule the host would
/// refuse is a <see cref="FormatException"/> naming its setting. With <paramref name="enrichRuns"/>, the <c>enrich</c> source
/// carries its current run's progress. The <c>enrich</c> timer looks every few minutes but starts a run only every
/// <paramref name="enrichRunEvery"/> (<c>Enrich:RunEvery</c>, default a day): its expected interval is the longer of the two.
/// </summary>
public sealed class SyncStatusReader(ISourceStateStore states, SyncSchedules schedules, EnrichRunStore? enrichRuns = null, TimeSpan? enrichRunEvery = null) : ISyncStatusReader
{
    public const int StaleAfterIntervals = 2;

    // The schedules are fixed for the process; a refused one is not cached, so every request reports it.
    private readonly ConcurrentDictionary<string, TimeSpan> _intervals = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<SourceSyncStatus>> GetAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = new List<SourceSyncStatus>();
        foreach (var source in IngestSources.All)
        {
            var state = await states.GetAsync(source, cancellationToken).ConfigureAwait(false);
            var schedule = schedules.For(source);
            var interval = _intervals.GetOrAdd(source, static (s, expression) => TimerSchedule.Parse(expression, SyncSchedules.SettingFor(s)).Interval, schedule);
            if (source == IngestSources.Enrich)
            {
                var runEvery = enrichRunEvery ?? new EnrichOptions().RunEvery;
                interval = interval > runEvery ? interval : runEvery;
            }

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
                state.SnapshotDigest,
                source == IngestSources.Enrich && enrichRuns is not null ? await EnrichProgressAsync(enrichRuns, cancellationToken).ConfigureAwait(false) : null));
        }

        return result;
    }

    private static async Task<SyncProgress?> EnrichProgressAsync(EnrichRunStore runs, CancellationToken cancellationToken) =>
        await runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false) is { Run: var run }
            ? new SyncProgress(run.RunId, run.Status, run.Page, run.Done, run.Total, run.After, run.UpdatedAt, run.PausedReason, run.LastError)
            : null;
}
