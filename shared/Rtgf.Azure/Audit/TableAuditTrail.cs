using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Rtgf.Pipeline.Audit;
using Rtgf.Pipeline.Operations;

namespace Rtgf.Azure.Audit;

/// <summary>
/// The audit trail in table <c>audit</c> (docs/spec/operations.md#audit). PartitionKey: the entry's UTC month
/// (<c>yyyy-MM</c>). Each entry is two rows written in one transaction: <c>e-{inverted ticks, 19 digits}-{id hash}</c>
/// (the entry; newest first in key order) and <c>id-{id hash}</c> (the dedupe marker). A second append of the same id in
/// the same month fails the transaction on the marker and is treated as already appended. Rows are only ever added.
/// </summary>
public sealed class TableAuditTrail(Func<TableServiceClient> service, string prefix = "") : IAuditTrail
{
    internal const string EntryPrefix = "e-";
    internal const string MarkerPrefix = "id-";

    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(service(), prefix + OperationsStorage.AuditTable), LazyThreadSafetyMode.PublicationOnly);

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var partition = Partition(entry.At);
        var idHash = IdHash(entry.Id);
        var row = new TableEntity(partition, EntryRowKey(entry.At, idHash))
        {
            ["Id"] = entry.Id,
            ["At"] = entry.At.ToUniversalTime(),
            ["Actor"] = entry.Actor,
            ["Action"] = entry.Action,
            ["Subject"] = entry.Subject,
            ["Details"] = JsonSerializer.Serialize(new SortedDictionary<string, string>(entry.Details.ToDictionary(), StringComparer.Ordinal)),
        };
        var marker = new TableEntity(partition, MarkerPrefix + idHash) { ["EntryRowKey"] = row.RowKey };
        try
        {
            await table.SubmitTransactionAsync([new(TableTransactionActionType.Add, marker), new(TableTransactionActionType.Add, row)], cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // The marker exists: this entry was appended before (a retry). Append-only: nothing is rewritten.
        }
    }

    /// <summary>
    /// One page of entries with <c>from &lt;= At &lt; to</c>, newest first across month partitions, optionally only one
    /// action and/or one actor. <paramref name="continuation"/> is a value an earlier page of the same query returned
    /// (<see cref="AuditPage.Continuation"/>); anything else is an <see cref="AuditContinuationException"/>, never a storage
    /// error. The continuation is a position, not a capability: it names the last entry read and is bound to the query.
    /// </summary>
    public async Task<AuditPage> ReadPageAsync(
        DateTimeOffset from, DateTimeOffset to, string? action, string? actor, string? continuation, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        if (to <= from)
        {
            return new AuditPage([], null);
        }

        var query = new AuditQuery(from, to, action, actor);
        var after = continuation is null ? null : AuditContinuation.Read(continuation, query);
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<AuditEntry>(pageSize);
        var lastRowKey = (string?)null;
        var more = false;

        // Months from the newest (the one holding to - 1 tick) down to the one holding from.
        var month = MonthStart(after?.At ?? to.AddTicks(-1));
        var firstMonth = MonthStart(from);
        for (; month >= firstMonth && !more; month = month.AddMonths(-1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(month)} and RowKey ge {RangeKey(to)} and RowKey lt {RangeKey(from)}");
            if (after is not null && Partition(after.At) == Partition(month))
            {
                filter += TableClient.CreateQueryFilter($" and RowKey gt {after.RowKey}");
            }

            if (action is not null)
            {
                filter += TableClient.CreateQueryFilter($" and Action eq {action}");
            }

            if (actor is not null)
            {
                filter += TableClient.CreateQueryFilter($" and Actor eq {actor}");
            }

            await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(pageSize + 1, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (entries.Count == pageSize)
                {
                    more = true; // one more exists: the page ends with a continuation
                    break;
                }

                entries.Add(ToEntry(row));
                lastRowKey = row.RowKey;
            }
        }

        return new AuditPage(entries, more ? AuditContinuation.Write(lastRowKey!, query) : null);
    }

    private static AuditEntry ToEntry(TableEntity row) => new(
        row.GetString("Id") ?? string.Empty,
        row.GetDateTimeOffset("At") ?? AtOf(row.RowKey),
        row.GetString("Actor") ?? string.Empty,
        row.GetString("Action") ?? string.Empty,
        row.GetString("Subject") ?? string.Empty,
        new SortedDictionary<string, string>(
            row.GetString("Details") is { Length: > 0 } details ? JsonSerializer.Deserialize<Dictionary<string, string>>(details) ?? [] : [],
            StringComparer.Ordinal));

    /// <summary>The row-key bound of an instant: entries at or after <paramref name="at"/> sort before it (inverted ticks).</summary>
    private static string RangeKey(DateTimeOffset at) =>
        EntryPrefix + (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);

    private static DateTimeOffset MonthStart(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    internal static DateTimeOffset AtOf(string entryRowKey) =>
        new(DateTimeOffset.MaxValue.UtcTicks - long.Parse(entryRowKey.AsSpan(EntryPrefix.Length, 19), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);

    internal static string Partition(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    internal static string EntryRowKey(DateTimeOffset at, string idHash) =>
        EntryPrefix + (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + idHash;

    internal static string IdHash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 16));
}
