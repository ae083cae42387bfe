using System.Globalization;
using Azure.Data.Tables;
using Rtgf.Pipeline.Operations;
using Rtgf.Pipeline.Operations.Traffic;
using Rtgf.Pipeline.Storage;

namespace Rtgf.Azure.Traffic;

/// <summary>A snapshot day's completion marker: the day is whole in <c>trafficdaily</c>.</summary>
public sealed record TrafficDayMarker(DateOnly Day, long Requests, long Dropped, int Rows);

/// <summary>One page of snapshot rows, and the storage continuation of the next page if there is one.</summary>
public sealed record TrafficHourPage(IReadOnlyList<TrafficHour> Rows, string? Next);

/// <summary>
/// The daily traffic snapshot in table <c>trafficdaily</c> (docs/spec/operations.md#traffic). PartitionKey: the day
/// (<c>yyyyMMdd</c>). RowKey: <c>{hour:D2}|{status class}|{plan}|{route}</c> (each part escaped), so a day's rows are
/// deterministic: writing a day again (a re-run, two instances at once) upserts the same rows with the same values. The
/// row <see cref="MarkerRowKey"/> is written last and says the day is complete.
/// </summary>
public sealed class TableTrafficDaily(Func<TableServiceClient> service, string prefix = "")
{
    /// <summary>Sorts after every hour row (they start with two digits).</summary>
    public const string MarkerRowKey = "~day";

    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(service(), prefix + OperationsStorage.TrafficDailyTable), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The complete days from <paramref name="from"/> to <paramref name="to"/> (inclusive), in day order.</summary>
    public async Task<IReadOnlyList<TrafficDayMarker>> DaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {TrafficDays.Day(from)} and PartitionKey le {TrafficDays.Day(to)} and RowKey eq {MarkerRowKey}");
        var days = new List<TrafficDayMarker>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            days.Add(new TrafficDayMarker(TrafficDays.ParseDay(e.PartitionKey), e.GetInt64("Requests") ?? 0, e.GetInt64("Dropped") ?? 0, e.GetInt32("Rows") ?? 0));
        }

        return [.. days.OrderBy(d => d.Day)];
    }

    /// <summary>Writes a day's rows (transactions of up to 100 upserts), then its marker.</summary>
    public async Task WriteAsync(TrafficDaySnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var partition = TrafficDays.Day(snapshot.Day);
        foreach (var chunk in snapshot.Hours.Chunk(Tables.TableLimits.MaxTransactionActions))
        {
            await table.SubmitTransactionAsync(chunk.Select(h => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(partition, h))), cancellationToken).ConfigureAwait(false);
        }

        var marker = new TableEntity(partition, MarkerRowKey)
        {
            ["Requests"] = snapshot.Requests,
            ["Dropped"] = snapshot.Dropped,
            ["Rows"] = snapshot.Hours.Count,
        };
        await table.UpsertEntityAsync(marker, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A page of hour rows of the complete days (those with a marker) from <paramref name="from"/> to <paramref name="to"/>,
    /// optionally of one route and one plan. A day still being written (or whose snapshot died before its marker) is left
    /// out, so its partial sums are never served; a page may then hold fewer rows than <paramref name="limit"/>.
    /// </summary>
    public async Task<TrafficHourPage> ListAsync(
        DateOnly from, DateOnly to, string? route, string? plan, int limit, string? continuation, CancellationToken cancellationToken)
    {
        var complete = (await DaysAsync(from, to, cancellationToken).ConfigureAwait(false)).Select(d => d.Day).ToHashSet();
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {TrafficDays.Day(from)} and PartitionKey le {TrafficDays.Day(to)} and RowKey lt {MarkerRowKey}");
        if (route is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Route eq {route}");
        }

        if (plan is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Plan eq {plan}");
        }

        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: cancellationToken).AsPages(continuation, limit).ConfigureAwait(false))
        {
            return new TrafficHourPage([.. page.Values.Select(Read).Where(h => complete.Contains(h.Day))], page.ContinuationToken);
        }

        return new TrafficHourPage([], null);
    }

    /// <summary>Deletes every snapshot day before <paramref name="firstKept"/> (rows and marker; safe twice at once). Returns the rows deleted.</summary>
    public async Task<long> DeleteDaysBeforeAsync(DateOnly firstKept, CancellationToken cancellationToken)
    {
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        return await TableTrafficLog.DeletePartitionsBeforeAsync(table, TrafficDays.Day(firstKept), cancellationToken).ConfigureAwait(false);
    }

    internal static string RowKey(int hour, string statusClass, string plan, string route) =>
        string.Join('|', hour.ToString("D2", CultureInfo.InvariantCulture), Part(statusClass), Part(plan), Part(route));

    // '|' separates the parts, so it is escaped inside them (TableKeys escapes '%', so "%7C" stays distinct).
    private static string Part(string text) => TableKeys.Escape(text).Replace("|", "%7C", StringComparison.Ordinal);

    private static TableEntity Entity(string partition, TrafficHour h) => new(partition, RowKey(h.Hour, h.StatusClass, h.Plan, h.Route))
    {
        ["Hour"] = h.Hour,
        ["Route"] = h.Route,
        ["Plan"] = h.Plan,
        ["StatusClass"] = h.StatusClass,
        ["Count"] = h.Count,
        ["Errors"] = h.Errors,
        ["RequestBytes"] = h.RequestBytes,
        ["ResponseBytes"] = h.ResponseBytes,
        ["DurationMsSum"] = h.DurationMillisecondsSum,
        ["P50Ms"] = h.P50Milliseconds,
        ["P95Ms"] = h.P95Milliseconds,
        ["P99Ms"] = h.P99Milliseconds,
        ["Histogram"] = TrafficAggregation.FormatHistogram(h.Histogram),
    };

    private static TrafficHour Read(TableEntity e) => new(
        TrafficDays.ParseDay(e.PartitionKey), e.GetInt32("Hour") ?? 0, e.GetString("Route") ?? string.Empty, e.GetString("Plan") ?? string.Empty,
        e.GetString("StatusClass") ?? string.Empty, e.GetInt64("Count") ?? 0, e.GetInt64("Errors") ?? 0, e.GetInt64("RequestBytes") ?? 0,
        e.GetInt64("ResponseBytes") ?? 0, e.GetDouble("DurationMsSum") ?? 0, e.GetDouble("P50Ms") ?? 0, e.GetDouble("P95Ms") ?? 0,
        e.GetDouble("P99Ms") ?? 0, TrafficAggregation.ParseHistogram(e.GetString("Histogram")));
}
