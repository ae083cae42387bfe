using Azure;
using Azure.Data.Tables;
using Rtgf.Pipeline.Access;

namespace Rtgf.Azure.Access;

/// <summary>How long the access tables keep what no limit reads any more, and how much one run may do.</summary>
public sealed record AccessCleanupOptions
{
    /// <summary>Minute counters older than this are deleted (no limit reads a past minute; a little history helps support).</summary>
    public TimeSpan MinuteRowsFor { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Month counters of months before the current one minus this many are deleted.</summary>
    public int MonthRowsFor { get; init; } = 3;

    /// <summary>
    /// Rows looked at per table range in one pass. A run makes passes over the ranges in turn, each going on where the last
    /// stopped, while work is left and <see cref="RunBudget"/> is not used up.
    /// </summary>
    public int RowsPerPass { get; init; } = 5000;

    /// <summary>
    /// After this long (by the run's clock) a run starts no further pass; the rest waits for the next run. Under the timer's
    /// period (5 minutes in the sample, 15 in production), so runs do not pile up; zero makes a run one pass.
    /// </summary>
    public TimeSpan RunBudget { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Rows read per page.</summary>
    public int PageSize { get; init; } = 500;
}

/// <summary>What one run deleted, what it left because it changed meanwhile, and whether work is left for the next run.</summary>
public sealed record AccessCleanupSummary(int MinuteRows, int MonthRows, int ExpiredBlocks, int Kept, bool More)
{
    public override string ToString() =>
        $"access cleanup: deleted {MinuteRows} minute row(s), {MonthRows} month row(s), {ExpiredBlocks} expired block(s); kept {Kept} changed meanwhile; {(More ? "more left for the next run" : "nothing left")}.";
}

/// <summary>
/// The <c>access-cleanup</c> work (docs/spec/api-keys.md#cleanup): deletes <c>apiusage</c> minute rows older than
/// <see cref="AccessCleanupOptions.MinuteRowsFor"/>, month rows older than <see cref="AccessCleanupOptions.MonthRowsFor"/>
/// months, and expired <c>abuseblocks</c> rows (also rows of the old format, PartitionKey <c>block</c>, which nothing reads
/// any more). Each delete is conditional on the ETag read, so a row written meanwhile stays; a row another run deleted
/// first is counted by that run only. Two runs at once are therefore safe, and a run repeated after a failure just finds
/// less to do. Rows of one partition in a page are deleted together (entity-group transactions of up to 100, still
/// If-Match each); a transaction that fails on a changed or missing row is done again row by row.
/// </summary>
public sealed class AccessCleanup(AccessTables tables, TimeProvider time, AccessCleanupOptions options)
{
    /// <summary>The PartitionKey of abuse block rows before they were keyed by expiry (RowKey = the address, column Until).</summary>
    internal const string OldBlockPartition = "block";

    private const int MaxTransactionActions = 100;

    public async Task<AccessCleanupSummary> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deadline = now + options.RunBudget;
        var usage = await tables.UsageAsync(cancellationToken).ConfigureAwait(false);
        var blocks = await tables.BlocksAsync(cancellationToken).ConfigureAwait(false);

        // Windows are RowKeys "m" + yyyyMMddHHmm and "M" + yyyyMM (UsageWindows), so "older than" is a RowKey range.
        var minuteCutoff = UsageWindows.Minute(now - options.MinuteRowsFor);
        var monthCutoff = UsageWindows.Month(UsageWindows.MonthStart(now).AddMonths(-options.MonthRowsFor));
        var minutes = new Range(usage, TableClient.CreateQueryFilter($"RowKey ge {"m"} and RowKey lt {minuteCutoff}"));
        var months = new Range(usage, TableClient.CreateQueryFilter($"RowKey ge {"M"} and RowKey lt {monthCutoff}"));
        var expired = new Range(blocks, TableClient.CreateQueryFilter($"PartitionKey eq {TableAbuseBlockStore.Partition} and RowKey lt {TableAbuseBlockStore.ExpiredBefore(now)}"));
        var oldExpired = new Range(blocks, TableClient.CreateQueryFilter($"PartitionKey eq {OldBlockPartition} and Until le {now}"));
        Range[] ranges = [minutes, months, expired, oldExpired];

        // Passes over the ranges in turn (each on from where it stopped), so one busy range cannot starve the others.
        do
        {
            foreach (var range in ranges.Where(r => r.More))
            {
                await PassAsync(range, cancellationToken).ConfigureAwait(false);
            }
        }
        while (ranges.Any(r => r.More) && time.GetUtcNow() < deadline);

        return new AccessCleanupSummary(
            minutes.Deleted, months.Deleted, expired.Deleted + oldExpired.Deleted, ranges.Sum(r => r.Kept), ranges.Any(r => r.More));
    }

    /// <summary>Looks at up to <see cref="AccessCleanupOptions.RowsPerPass"/> more rows of <paramref name="range"/>.</summary>
    private async Task PassAsync(Range range, CancellationToken cancellationToken)
    {
        var seen = 0;
        while (seen < options.RowsPerPass)
        {
            var pageSize = Math.Min(options.PageSize, options.RowsPerPass - seen);
            Page<TableEntity>? page = null;
            await foreach (var first in range.Table.QueryAsync<TableEntity>(range.Filter, pageSize, ["PartitionKey", "RowKey"], cancellationToken)
                .AsPages(range.Continuation, pageSize).ConfigureAwait(false))
            {
                page = first;
                break;
            }

            seen += page?.Values.Count ?? 0;
            range.Continuation = page?.ContinuationToken;
            if (page is not null)
            {
                foreach (var partition in page.Values.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
                {
                    foreach (var chunk in partition.Chunk(MaxTransactionActions))
                    {
                        await DeleteAsync(range, chunk, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (string.IsNullOrEmpty(range.Continuation))
            {
                range.More = false;
                return;
            }
        }
    }

    private static async Task DeleteAsync(Range range, TableEntity[] rows, CancellationToken cancellationToken)
    {
        if (rows.Length > 1)
        {
            try
            {
                // If-Match the ETag read, row by row: a counter written since (a late flush) or a block re-written is not lost.
                await range.Table.SubmitTransactionAsync(
                    rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, r.ETag)), cancellationToken).ConfigureAwait(false);
                range.Deleted += rows.Length;
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
            {
                // One row changed or went meanwhile and the whole transaction did nothing: each row on its own.
            }
        }

        foreach (var row in rows)
        {
            try
            {
                using var response = await range.Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                if (response.Status != 404)
                {
                    range.Deleted++;
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // another run deleted it first
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                range.Kept++;
            }
        }
    }

    /// <summary>One table range a run deletes from, where its last pass stopped, and what it did.</summary>
    private sealed class Range(TableClient table, string filter)
    {
        public TableClient Table { get; } = table;

        public string Filter { get; } = filter;

        public string? Continuation { get; set; }

        public bool More { get; set; } = true;

        public int Deleted { get; set; }

        public int Kept { get; set; }
    }
}
