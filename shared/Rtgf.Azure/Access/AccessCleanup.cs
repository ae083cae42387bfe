using Azure;
using Azure.Data.Tables;
using Rtgf.Pipeline.Access;

namespace Rtgf.Azure.Access;

/// <summary>How long the access tables keep what no limit reads any more, and how much one run may delete.</summary>
public sealed record AccessCleanupOptions
{
    /// <summary>Minute counters older than this are deleted (no limit reads a past minute; a little history helps support).</summary>
    public TimeSpan MinuteRowsFor { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Month counters of months before the current one minus this many are deleted.</summary>
    public int MonthRowsFor { get; init; } = 3;

    /// <summary>At most this many rows are looked at per run (per table range); the rest waits for the next run.</summary>
    public int MaxRowsPerRun { get; init; } = 5000;

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
/// months, and expired <c>abuseblocks</c> rows. Each delete is conditional on the ETag read, so a row written meanwhile
/// stays; a row another run deleted first is counted by that run only. Two runs at once are therefore safe, and a run
/// repeated after a failure just finds less to do.
/// </summary>
public sealed class AccessCleanup(AccessTables tables, TimeProvider time, AccessCleanupOptions options)
{
    public async Task<AccessCleanupSummary> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var usage = await tables.UsageAsync(cancellationToken).ConfigureAwait(false);
        var blocks = await tables.BlocksAsync(cancellationToken).ConfigureAwait(false);

        // Windows are RowKeys "m" + yyyyMMddHHmm and "M" + yyyyMM (UsageWindows), so "older than" is a RowKey range.
        var minuteCutoff = UsageWindows.Minute(now - options.MinuteRowsFor);
        var monthCutoff = UsageWindows.Month(UsageWindows.MonthStart(now).AddMonths(-options.MonthRowsFor));
        var minutes = await DeleteAsync(usage, TableClient.CreateQueryFilter($"RowKey ge {"m"} and RowKey lt {minuteCutoff}"), cancellationToken).ConfigureAwait(false);
        var months = await DeleteAsync(usage, TableClient.CreateQueryFilter($"RowKey ge {"M"} and RowKey lt {monthCutoff}"), cancellationToken).ConfigureAwait(false);
        var expired = await DeleteAsync(
            blocks,
            TableClient.CreateQueryFilter($"PartitionKey eq {TableAbuseBlockStore.Partition} and RowKey lt {TableAbuseBlockStore.ExpiredBefore(now)}"),
            cancellationToken).ConfigureAwait(false);
        return new AccessCleanupSummary(minutes.Deleted, months.Deleted, expired.Deleted, minutes.Kept + months.Kept + expired.Kept, minutes.More || months.More || expired.More);
    }

    private async Task<(int Deleted, int Kept, bool More)> DeleteAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        int deleted = 0, kept = 0, seen = 0;
        var pageSize = Math.Min(options.PageSize, options.MaxRowsPerRun);
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, ["PartitionKey", "RowKey"], cancellationToken).AsPages(pageSizeHint: pageSize).ConfigureAwait(false))
        {
            foreach (var row in page.Values)
            {
                if (seen++ >= options.MaxRowsPerRun)
                {
                    return (deleted, kept, true);
                }

                try
                {
                    // If-Match the ETag read: a counter written since (a late flush) or a block re-written is not lost.
                    using var response = await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                    if (response.Status == 404)
                    {
                        continue; // another run deleted it first
                    }

                    deleted++;
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    // another run deleted it first
                }
                catch (RequestFailedException e) when (e.Status == 412)
                {
                    kept++;
                }
            }
        }

        return (deleted, kept, false);
    }
}
