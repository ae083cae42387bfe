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

    internal static string Partition(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    internal static string EntryRowKey(DateTimeOffset at, string idHash) =>
        EntryPrefix + (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + idHash;

    internal static string IdHash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 16));
}
