using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Rtgf.Pipeline.Operations;
using Rtgf.Pipeline.Operations.Traffic;

namespace Rtgf.Azure.Traffic;

/// <summary>One row of the traffic log: a request's record, or a writer's count of what it could not log.</summary>
public sealed record TrafficLogEntry(TrafficRecord? Request, TrafficDrop? Drop);

/// <summary>
/// The traffic log in table <c>traffic</c> (docs/spec/operations.md#traffic). PartitionKey <c>{yyyyMMddHH}-{shard:D2}</c>:
/// a day is the key range <c>[yyyyMMdd, next day)</c>, so the snapshot reads one day and the prune deletes every day before
/// a cutoff with one range query each; the shard spreads one hour's writes over <see cref="TrafficOptions.Shards"/>
/// partitions. RowKey <c>{ticks:D19}-{writer}-{sequence:D12}</c>: unique per writer, so a retried transaction (upserts)
/// rewrites the same rows and two writers never collide. Rows are written once and only deleted by the prune.
/// </summary>
public sealed class TableTrafficLog
{
    internal const string KindRequest = "request";
    internal const string KindDropped = "dropped";

    private const int TableLimitsMaxActions = Tables.TableLimits.MaxTransactionActions;

    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table;
    private readonly string _writer;
    private readonly int _shards;
    private long _sequence;
    private long _chunks;

    /// <summary>
    /// A log over <paramref name="prefix"/> + <c>traffic</c>. <paramref name="writer"/>: this writer's id (8 hex characters,
    /// unique per process: <c>TrafficWriterId</c>; readers may pass any); <paramref name="shards"/>: partitions per hour.
    /// </summary>
    public TableTrafficLog(Func<TableServiceClient> service, string prefix = "", string writer = "reader00", int shards = 1)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        _writer = writer;
        _shards = shards;
        _chunks = writer.Aggregate(0, (h, c) => (h * 31) + c) & 0xffff; // writers start on different shards
        _table = new(() => CreatedOnFirstUse.Table(service(), prefix + OperationsStorage.TrafficTable), LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>
    /// Writes the records in transactions of up to 100 rows per partition, each chunk on the next shard. A chunk that
    /// fails does not stop the others: returns how many records were not written (0 when all were). Throws only when
    /// nothing could be tried (the table is unreachable) or the caller cancelled.
    /// </summary>
    public async Task<int> WriteAsync(IReadOnlyList<TrafficRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return 0;
        }

        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var chunks = new List<List<TableTransactionAction>>();
        foreach (var hour in records.GroupBy(r => HourKey(r.At), StringComparer.Ordinal))
        {
            foreach (var chunk in hour.Chunk(TableLimitsMaxActions))
            {
                var partition = hour.Key + "-" + Shard();
                chunks.Add([.. chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(partition, r)))]);
            }
        }

        var failed = 0;
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            try
            {
                await table.SubmitTransactionAsync(chunk, ct).ConfigureAwait(false);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // A transaction is all or nothing: this chunk's rows are not written; the other chunks go on.
                Interlocked.Add(ref failed, chunk.Count);
            }
        }).ConfigureAwait(false);
        return failed;
    }

    /// <summary>Writes one writer's count of records it could not log.</summary>
    public async Task WriteDropAsync(TrafficDrop drop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drop);
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(HourKey(drop.At) + "-" + Shard(), RowKey(drop.At))
        {
            ["Kind"] = KindDropped,
            ["At"] = drop.At.ToUniversalTime(),
            ["Full"] = drop.Full,
            ["Failed"] = drop.Failed,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every row of one UTC day, in key order.</summary>
    public async IAsyncEnumerable<TrafficLogEntry> ReadDayAsync(DateOnly day, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {TrafficDays.Day(day)} and PartitionKey lt {TrafficDays.Day(day.AddDays(1))}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return Read(entity);
        }
    }

    /// <summary>
    /// Deletes every row of the days before <paramref name="firstKept"/>. Rows are immutable, so deletes are unconditional;
    /// a transaction that fails because another prune deleted a row first is done again row by row, a missing row skipped.
    /// Returns the rows this call deleted.
    /// </summary>
    public async Task<long> DeleteDaysBeforeAsync(DateOnly firstKept, CancellationToken cancellationToken)
    {
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        return await DeletePartitionsBeforeAsync(table, TrafficDays.Day(firstKept), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every row whose PartitionKey sorts before <paramref name="firstKept"/> (both traffic tables key by day first).</summary>
    internal static async Task<long> DeletePartitionsBeforeAsync(TableClient table, string firstKept, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {firstKept}");
        long deleted = 0;
        string? continuation = null;
        do
        {
            var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken)
                .AsPages(continuation, 1000);
            Page<TableEntity>? page = null;
            await foreach (var p in pages.ConfigureAwait(false))
            {
                page = p;
                break;
            }

            if (page is null)
            {
                break;
            }

            foreach (var partition in page.Values.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
            {
                foreach (var chunk in partition.Chunk(TableLimitsMaxActions))
                {
                    deleted += await DeleteAsync(table, chunk, cancellationToken).ConfigureAwait(false);
                }
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null);

        return deleted;
    }

    internal static string HourKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    private static async Task<long> DeleteAsync(TableClient table, TableEntity[] rows, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken).ConfigureAwait(false);
            return rows.Length;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            long deleted = 0;
            foreach (var row in rows)
            {
                try
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                    deleted++;
                }
                catch (RequestFailedException missing) when (missing.Status == 404)
                {
                    // Another prune deleted it first.
                }
            }

            return deleted;
        }
    }

    private string Shard() => (Interlocked.Increment(ref _chunks) % _shards).ToString("D2", CultureInfo.InvariantCulture);

    private string RowKey(DateTimeOffset at) =>
        at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + _writer + "-"
        + Interlocked.Increment(ref _sequence).ToString("D12", CultureInfo.InvariantCulture);

    private TableEntity Entity(string partition, TrafficRecord record) => new(partition, RowKey(record.At))
    {
        ["Kind"] = KindRequest,
        ["At"] = record.At.ToUniversalTime(),
        ["Route"] = record.Route,
        ["Method"] = record.Method,
        ["Status"] = record.Status,
        ["DurationUs"] = record.DurationMicroseconds,
        ["Caller"] = record.Caller,
        ["Plan"] = record.Plan,
        ["RequestBytes"] = record.RequestBytes,
        ["ResponseBytes"] = record.ResponseBytes,
    };

    private static TrafficLogEntry Read(TableEntity e)
    {
        var at = e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue;
        return e.GetString("Kind") == KindDropped
            ? new TrafficLogEntry(null, new TrafficDrop(at, e.GetInt64("Full") ?? 0, e.GetInt64("Failed") ?? 0))
            : new TrafficLogEntry(
                new TrafficRecord(
                    at, e.GetString("Route") ?? string.Empty, e.GetString("Method") ?? string.Empty, e.GetInt32("Status") ?? 0,
                    e.GetInt64("DurationUs") ?? 0, e.GetString("Caller") ?? string.Empty, e.GetString("Plan") ?? string.Empty,
                    e.GetInt64("RequestBytes") ?? 0, e.GetInt64("ResponseBytes") ?? 0),
                null);
    }
}
