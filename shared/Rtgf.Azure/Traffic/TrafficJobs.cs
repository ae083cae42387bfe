using Rtgf.Pipeline.Operations.Traffic;

namespace Rtgf.Azure.Traffic;

/// <summary>What one <c>traffic-snapshot</c> run wrote.</summary>
public sealed record TrafficSnapshotSummary(IReadOnlyList<TrafficDayMarker> Days)
{
    public override string ToString() => Days.Count == 0
        ? "traffic snapshot: every day in the log was already snapshotted."
        : "traffic snapshot: " + string.Join(", ", Days.Select(d => $"{TrafficDays.Iso(d.Day)} ({d.Requests} request(s), {d.Rows} row(s), {d.Dropped} dropped)")) + ".";
}

/// <summary>
/// The <c>traffic-snapshot</c> work (docs/spec/operations.md#traffic): every day from the oldest the log keeps to yesterday
/// that has no completion marker in <c>trafficdaily</c> is aggregated from the log and written, marker last. Past days of
/// the log no longer change, so two runs at once, or a run repeated after a failure, write the same rows with the same
/// values: the result is the same as one run.
/// </summary>
public sealed class TrafficSnapshot(TableTrafficLog log, TableTrafficDaily daily, TimeProvider time, int retentionDays)
{
    public async Task<TrafficSnapshotSummary> RunAsync(CancellationToken cancellationToken)
    {
        var today = TrafficDays.Today(time);
        var first = TrafficDays.OldestKept(today, retentionDays);
        var last = today.AddDays(-1);
        if (first > last)
        {
            return new TrafficSnapshotSummary([]);
        }

        var done = (await daily.DaysAsync(first, last, cancellationToken).ConfigureAwait(false)).Select(d => d.Day).ToHashSet();
        var written = new List<TrafficDayMarker>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (done.Contains(day))
            {
                continue;
            }

            var aggregation = new TrafficAggregation(day);
            await foreach (var entry in log.ReadDayAsync(day, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Request is { } request)
                {
                    aggregation.Add(request);
                }
                else if (entry.Drop is { } drop)
                {
                    aggregation.Add(drop);
                }
            }

            var snapshot = aggregation.Build();
            await daily.WriteAsync(snapshot, cancellationToken).ConfigureAwait(false);
            written.Add(new TrafficDayMarker(day, snapshot.Requests, snapshot.Dropped, snapshot.Hours.Count));
        }

        return new TrafficSnapshotSummary(written);
    }
}

/// <summary>What one <c>traffic-prune</c> run deleted: log rows before <c>FirstKept</c>, snapshot rows before <c>FirstSnapshotKept</c>.</summary>
public sealed record TrafficPruneSummary(DateOnly FirstKept, long Deleted, DateOnly FirstSnapshotKept = default, long SnapshotDeleted = 0)
{
    public override string ToString() =>
        $"traffic prune: deleted {Deleted} log row(s) of the days before {TrafficDays.Iso(FirstKept)} and {SnapshotDeleted} snapshot row(s) of the days before {TrafficDays.Iso(FirstSnapshotKept)}.";
}

/// <summary>
/// The <c>traffic-prune</c> work: deletes the log's days before the oldest <c>Traffic:RetentionDays</c> keeps and, when a
/// snapshot table is given, the snapshot's days before the oldest <c>Traffic:SnapshotRetentionDays</c> keeps (today counts
/// as one in both). Safe twice at once (<see cref="TableTrafficLog.DeleteDaysBeforeAsync"/>).
/// </summary>
public sealed class TrafficPrune(TableTrafficLog log, TimeProvider time, int retentionDays, TableTrafficDaily? daily = null, int snapshotRetentionDays = TrafficOptions.DefaultSnapshotRetentionDays)
{
    public async Task<TrafficPruneSummary> RunAsync(CancellationToken cancellationToken)
    {
        var today = TrafficDays.Today(time);
        var firstKept = TrafficDays.OldestKept(today, retentionDays);
        var deleted = await log.DeleteDaysBeforeAsync(firstKept, cancellationToken).ConfigureAwait(false);
        var firstSnapshotKept = TrafficDays.OldestKept(today, snapshotRetentionDays);
        var snapshotDeleted = daily is null ? 0 : await daily.DeleteDaysBeforeAsync(firstSnapshotKept, cancellationToken).ConfigureAwait(false);
        return new TrafficPruneSummary(firstKept, deleted, firstSnapshotKept, snapshotDeleted);
    }
}
