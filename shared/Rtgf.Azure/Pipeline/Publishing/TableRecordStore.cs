using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Storage;

namespace Rtgf.Azure.Pipeline.Publishing;

/// <summary>
/// <see cref="IRecordStore"/> on Azure Table storage: one table per logical table (created by the first write, optionally prefixed),
/// keys escaped by <see cref="TableKeys"/>, the JSON body kept by <see cref="EntityJson"/> (docs/spec/storage.md). A row
/// the service would refuse is refused here, with the limit named, before anything is sent.
/// </summary>
public sealed class TableRecordStore : IRecordStore
{
    private readonly TableServiceClient _service;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, CreatedOnFirstUse<TableClient>> _tables = new(StringComparer.Ordinal);

    public TableRecordStore(TableServiceClient service, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(prefix);
        _service = service;
        _prefix = prefix;
    }

    public async Task<StoredRecord?> GetAsync(string table, string partition, string row, CancellationToken cancellationToken = default)
    {
        var (partitionKey, rowKey) = (Key(partition, "partition"), Key(row, "row"));
        try
        {
            var entity = await Table(table).Client.GetRowAsync(partitionKey, rowKey, cancellationToken).ConfigureAwait(false);
            return entity is null ? null : ToRecord(entity);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null; // reads create nothing: no table yet, no row
        }
    }

    public async Task<bool> TryCreateAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default)
    {
        var entity = ToEntity(partition, row, json);
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> TryReplaceAsync(string table, string partition, string row, string json, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var entity = ToEntity(partition, row, json);
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task UpsertAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default)
    {
        var entity = ToEntity(partition, row, json);
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryCreateBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default)
    {
        var actions = Actions(TableTransactionActionType.Add, partition, rows);
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task UpsertBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default)
    {
        var actions = Actions(TableTransactionActionType.UpsertReplace, partition, rows);
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        await client.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string table, string partition, string row, CancellationToken cancellationToken = default)
    {
        var (partitionKey, rowKey) = (Key(partition, "partition"), Key(row, "row"));
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        await client.DeleteEntityAsync(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string partition, string? afterRow, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var filter = afterRow is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Key(partition, "partition")}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Key(partition, "partition")} and RowKey gt {Key(afterRow, "afterRow")}");
        var result = new List<StoredRecord>();
        try
        {
            await foreach (var entity in Table(table).Client.QueryAsync<TableEntity>(filter, Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                result.Add(ToRecord(entity));
                if (result.Count == max)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404 && result.Count == 0)
        {
            // Reads create nothing: no table yet is an empty partition.
        }

        return result;
    }

    private static string Key(string key, string name)
    {
        var escaped = TableKeys.Escape(key);
        TableLimits.ValidateKey(escaped, name);
        return escaped;
    }

    private static List<TableTransactionAction> Actions(TableTransactionActionType type, string partition, IReadOnlyList<RecordBatchRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count is 0 or > RecordBatch.MaxRows)
        {
            throw new ArgumentException($"A batch holds 1 to {RecordBatch.MaxRows} rows; this one has {rows.Count}.", nameof(rows));
        }

        return [.. TableLimits.CheckedTransaction([.. rows.Select(r => new TableTransactionAction(type, ToEntity(partition, r.Row, r.Json)))])];
    }

    private static TableEntity ToEntity(string partition, string row, string json) =>
        TableLimits.Checked(EntityJson.Write(new TableEntity(TableKeys.Escape(partition), TableKeys.Escape(row)), json));

    private static StoredRecord ToRecord(TableEntity entity) =>
        new(TableKeys.Unescape(entity.PartitionKey), TableKeys.Unescape(entity.RowKey), EntityJson.Read(entity), entity.ETag.ToString());

    /// <summary>The table, created on first use: for writes (reads use its client and treat a missing table as empty).</summary>
    private Task<TableClient> TableAsync(string table, CancellationToken cancellationToken) => Table(table).GetAsync(cancellationToken);

    private CreatedOnFirstUse<TableClient> Table(string table) =>
        _tables.GetOrAdd(table, name => CreatedOnFirstUse.Table(_service, _prefix + name));
}
