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

/// <summary>What one <c>traffic-prune</c> run deleted.</summary>
public sealed record TrafficPruneSummary(DateOnly FirstKept, long Deleted)
{
    public override string ToString() => $"traffic prune: deleted {Deleted} row(s) of the days before {TrafficDays.Iso(FirstKept)}.";
}

/// <summary>
/// The <c>traffic-prune</c> work: deletes the log's days before the oldest <c>Traffic:RetentionDays</c> keeps (today
/// counts as one). Safe twice at once (<see cref="TableTrafficLog.DeleteDaysBeforeAsync"/>).
/// </summary>
public sealed class TrafficPrune(TableTrafficLog log, TimeProvider time, int retentionDays)
{
    public async Task<TrafficPruneSummary> RunAsync(CancellationToken cancellationToken)
    {
        var firstKept = TrafficDays.OldestKept(TrafficDays.Today(time), retentionDays);
        return new TrafficPruneSummary(firstKept, await log.DeleteDaysBeforeAsync(firstKept, cancellationToken).ConfigureAwait(false));
    }
}
