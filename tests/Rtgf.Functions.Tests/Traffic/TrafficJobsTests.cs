using Azure.Data.Tables;
using Rtgf.Azure.Traffic;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Operations.Traffic;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Traffic;

/// <summary>
/// <c>traffic-snapshot</c> and <c>traffic-prune</c> over the real tables on Azurite: the snapshot's sums are the log's,
/// a re-run and two runs at once write the same rows, missed days are caught up, and the prune keeps exactly N days.
/// </summary>
public sealed class TrafficJobsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 10, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    [Theory]
    [InlineData("traffic-snapshot", "%TRAFFIC_SNAPSHOT_SCHEDULE%")]
    [InlineData("traffic-prune", "%TRAFFIC_PRUNE_SCHEDULE%")]
    public void Functions_AreTimersOnTheirScheduleSettings(string name, string schedule)
    {
        var function = FunctionIndex.ForApp()[name];

        Assert.Equal("timer", function.Trigger);
        Assert.Equal(schedule, function.Schedule);
        Assert.Empty(function.Outputs);
    }

    [Fact]
    public async Task Snapshot_SumsEqualTheLog_PerHourRoutePlanAndStatusClass_AndCatchesUpMissedDays()
    {
        var (log, daily, _) = await TablesAsync();
        var yesterday = Seed(Today.AddDays(-1), 600);
        var before = Seed(Today.AddDays(-3), 50);
        var today = Seed(Today, 40);
        await log.WriteAsync([.. yesterday, .. before, .. today], default);
        await log.WriteDropAsync(new TrafficDrop(At(Today.AddDays(-1), 7), 3, 2), default);

        var summary = await new TrafficSnapshot(log, daily, new ManualTimeProvider(Now), retentionDays: 5).RunAsync(default);

        Assert.Equal([Today.AddDays(-4), Today.AddDays(-3), Today.AddDays(-2), Today.AddDays(-1)], summary.Days.Select(d => d.Day));
        Assert.Equal([0, 50, 0, 600], summary.Days.Select(d => d.Requests));
        var markers = await daily.DaysAsync(Today.AddDays(-10), Today, default);
        Assert.Equal(5, markers.Single(m => m.Day == Today.AddDays(-1)).Dropped);
        Assert.DoesNotContain(markers, m => m.Day == Today); // today is not whole yet

        AssertRowsMatch(yesterday, await RowsAsync(daily, Today.AddDays(-1)));
        AssertRowsMatch(before, await RowsAsync(daily, Today.AddDays(-3)));
        Assert.Empty(await RowsAsync(daily, Today));
    }

    [Fact]
    public async Task Snapshot_ReRun_WritesNothingNew_AndTwoRunsAtOnce_WriteTheSameRowsAsOne()
    {
        var (log, daily, dailyTable) = await TablesAsync();
        var records = Seed(Today.AddDays(-1), 900);
        await log.WriteAsync(records, default);
        var clock = new ManualTimeProvider(Now);

        var runs = await Task.WhenAll(
            Task.Run(() => new TrafficSnapshot(log, daily, clock, 3).RunAsync(default)),
            Task.Run(() => new TrafficSnapshot(log, daily, clock, 3).RunAsync(default)));
        var afterTwo = await EntitiesAsync(dailyTable);
        var again = await new TrafficSnapshot(log, daily, clock, 3).RunAsync(default);
        var afterThree = await EntitiesAsync(dailyTable);

        Assert.Contains(runs, r => r.Days.Any(d => d.Day == Today.AddDays(-1) && d.Requests == 900));
        Assert.Empty(again.Days);
        Assert.Equal(afterTwo, afterThree);
        AssertRowsMatch(records, await RowsAsync(daily, Today.AddDays(-1)));

        // One run alone on a second pair of tables writes exactly what the two racing runs wrote.
        var (soloLog, soloDaily, soloTable) = await TablesAsync();
        await soloLog.WriteAsync(records, default);
        await new TrafficSnapshot(soloLog, soloDaily, clock, 3).RunAsync(default);
        Assert.Equal(afterTwo, await EntitiesAsync(soloTable));
    }

    [Fact]
    public async Task Prune_KeepsExactlyRetentionDays_TwoRunsAtOnceDeleteEachRowOnce()
    {
        var (log, _, _) = await TablesAsync();
        var records = Enumerable.Range(0, 10).SelectMany(back => Seed(Today.AddDays(-back), 30)).ToList();
        await log.WriteAsync(records, default);
        for (var back = 0; back < 10; back++)
        {
            await log.WriteDropAsync(new TrafficDrop(At(Today.AddDays(-back), 12), 1, 0), default);
        }

        var clock = new ManualTimeProvider(Now);
        var runs = await Task.WhenAll(
            Task.Run(() => new TrafficPrune(log, clock, retentionDays: 4).RunAsync(default)),
            Task.Run(() => new TrafficPrune(log, clock, retentionDays: 4).RunAsync(default)));

        // Six old days of 30 records and one drop row. Each run counts the rows it asked to delete: Azurite answers a batch
        // delete of a row the other run deleted first with success, where Azure answers 404 (then counted row by row).
        Assert.All(runs, r => Assert.InRange(r.Deleted, 0, 6 * 31));
        Assert.InRange(runs.Sum(r => r.Deleted), 6 * 31, 2 * 6 * 31);
        var left = new List<DateOnly>();
        for (var back = 0; back < 10; back++)
        {
            var count = 0;
            await foreach (var _ in log.ReadDayAsync(Today.AddDays(-back), default))
            {
                count++;
            }

            Assert.Equal(back < 4 ? 31 : 0, count);
        }

        var again = await new TrafficPrune(log, clock, retentionDays: 4).RunAsync(default);
        Assert.Equal(0, again.Deleted);
        Assert.Equal(Today.AddDays(-3), again.FirstKept);
    }

    [Fact]
    public async Task Prune_KeepsSnapshotRetentionDaysOfTheDailySnapshot()
    {
        var (log, daily, _) = await TablesAsync();
        for (var back = 1; back <= 8; back++)
        {
            var aggregation = new TrafficAggregation(Today.AddDays(-back));
            foreach (var record in Seed(Today.AddDays(-back), 20))
            {
                aggregation.Add(record);
            }

            await daily.WriteAsync(aggregation.Build(), default);
        }

        var summary = await new TrafficPrune(log, new ManualTimeProvider(Now), retentionDays: 2, daily, snapshotRetentionDays: 5).RunAsync(default);

        Assert.Equal(Today.AddDays(-4), summary.FirstSnapshotKept);
        Assert.True(summary.SnapshotDeleted > 0);
        Assert.Equal([Today.AddDays(-4), Today.AddDays(-3), Today.AddDays(-2), Today.AddDays(-1)], (await daily.DaysAsync(Today.AddDays(-30), Today, default)).Select(d => d.Day));
        Assert.Empty(await RowsAsync(daily, Today.AddDays(-5)));
        Assert.NotEmpty(await RowsAsync(daily, Today.AddDays(-4)));
    }

    [Fact]
    public void Options_RefuseARetentionThatWouldDeleteYesterdayBeforeItsSnapshot() =>
        Assert.Contains("Traffic:RetentionDays", Assert.Throws<InvalidOperationException>(() => TrafficOptions.FromSettings(k => k == "Traffic:RetentionDays" ? "1" : null)).Message, StringComparison.Ordinal);

    /// <summary>A deterministic day of traffic: hours, routes, plans, statuses, durations and sizes all vary.</summary>
    internal static List<TrafficRecord> Seed(DateOnly day, int count)
    {
        string[] routes = ["verify", "v1/rtos/{code}", "log/tile/{*path}"];
        string[] plans = ["anonymous", "free", "standard"];
        int[] statuses = [200, 200, 200, 304, 404, 429, 503];
        return [.. Enumerable.Range(0, count).Select(i => new TrafficRecord(
            At(day, (i * 7) % 24).AddSeconds(i % 3600).AddTicks(i),
            routes[i % routes.Length],
            i % 5 == 0 ? "POST" : "GET",
            statuses[(i / 3) % statuses.Length],
            ((i * 7919L) % 250_000) + 150,
            plans[(i / 2) % plans.Length] == "anonymous" ? "anon-0011223344556677" : "key" + (i % 4),
            plans[(i / 2) % plans.Length],
            i % 5 == 0 ? 200 + i : 0,
            1000 + (i * 13 % 700)))];
    }

    internal static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0), DateTimeKind.Utc));

    private static void AssertRowsMatch(List<TrafficRecord> records, IReadOnlyList<TrafficHour> rows)
    {
        var expected = records
            .GroupBy(r => (r.At.UtcDateTime.Hour, r.Route, r.Plan, r.StatusClass))
            .ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(records.Count, rows.Sum(r => r.Count));
        Assert.Equal(records.Sum(r => r.ResponseBytes), rows.Sum(r => r.ResponseBytes));
        foreach (var row in rows)
        {
            var group = expected[(row.Hour, row.Route, row.Plan, row.StatusClass)];
            var sorted = group.Select(r => r.DurationMicroseconds).Order().ToList();
            Assert.Equal(group.Count, row.Count);
            Assert.Equal(group.Count(r => r.Status >= 500), row.Errors);
            Assert.Equal(group.Sum(r => r.RequestBytes), row.RequestBytes);
            Assert.Equal(group.Sum(r => r.ResponseBytes), row.ResponseBytes);
            Assert.Equal(sorted[(int)Math.Ceiling(0.50 * sorted.Count) - 1] / 1000.0, row.P50Milliseconds);
            Assert.Equal(sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1] / 1000.0, row.P95Milliseconds);
            Assert.Equal(sorted[(int)Math.Ceiling(0.99 * sorted.Count) - 1] / 1000.0, row.P99Milliseconds);
            Assert.Equal(group.Count, row.Histogram.Sum());
        }
    }

    private static async Task<IReadOnlyList<TrafficHour>> RowsAsync(TableTrafficDaily daily, DateOnly day) =>
        (await daily.ListAsync(day, day, null, null, 1000, null, default)).Rows;

    /// <summary>Every row of the daily table with every property but the service's own (Timestamp, ETag), as text.</summary>
    private static async Task<List<string>> EntitiesAsync(TableClient table)
    {
        var rows = new List<string>();
        await foreach (var e in table.QueryAsync<TableEntity>())
        {
            rows.Add(string.Join(';', e.Where(p => p.Key is not ("Timestamp" or "odata.etag")).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + TrafficApp.Text(p.Value))));
        }

        return rows;
    }

    private static async Task<(TableTrafficLog Log, TableTrafficDaily Daily, TableClient DailyTable)> TablesAsync()
    {
        var azurite = await SharedAzurite.GetAsync();
        var prefix = azurite.UniqueName("trj");
        var daily = new TableTrafficDaily(() => azurite.TableService(), prefix);
        return (
            new TableTrafficLog(() => azurite.TableService(), prefix, "tests001", shards: 3),
            daily,
            azurite.TableService().GetTableClient(prefix + Rtgf.Pipeline.Operations.OperationsStorage.TrafficDailyTable));
    }
}
