using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>
/// <see cref="IRecordTable"/> on one table. Columns: <c>RecordKey</c>, the record's JSON (<see cref="EntityJson"/>),
/// <c>Digest</c>, <c>Modified</c>, <c>Deleted</c>, <c>RunId</c>. Keys arrive escaped (<c>TableKeys</c>) and are checked; a
/// row or batch the service would refuse is refused here, before anything of it is sent.
/// </summary>
internal sealed class TableRecordTable(CreatedOnFirstUse<TableClient> table) : IRecordTable
{
    public string Name => table.Client.Name;

    public async Task<StoredRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        TableLimits.ValidateKey(partitionKey, "PartitionKey");
        TableLimits.ValidateKey(rowKey, "RowKey");
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        var entity = await client.GetRowAsync(partitionKey, rowKey, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : new StoredRow(ToRow(entity), entity.ETag.ToString());
    }

    public async Task<IReadOnlyList<StoredRow>> GetPartitionAsync(string partitionKey, CancellationToken cancellationToken = default)
    {
        TableLimits.ValidateKey(partitionKey, "PartitionKey");
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<StoredRow>();
        await foreach (var entity in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StoredRow(ToRow(entity), entity.ETag.ToString()));
        }

        return rows;
    }

    public async Task<bool> TryWriteAsync(MirrorRow row, string? etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        var entity = ToEntity(row);
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (etag is null)
            {
                await client.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.IsConditionLost())
        {
            return false;
        }
    }

    public async Task<bool> TrySubmitAsync(string partitionKey, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return true;
        }

        // Built and checked in full before anything is sent (or the table created): a bad row fails the batch, nothing written.
        var actions = TableLimits.CheckedTransaction([.. changes.Select(c => c.Kind switch
        {
            RowChangeKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(c.Row!)),
            RowChangeKind.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(c.Row!), new ETag(c.ETag!)),
            RowChangeKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(c.Row!)),
            _ => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, c.RowKey), c.ETag is null ? ETag.All : new ETag(c.ETag)),
        })]);
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConditionLost())
        {
            return false;
        }
    }

    public async IAsyncEnumerable<MirrorRow> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entity in client.QueryAsync<TableEntity>(filter: (string?)null, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ToRow(entity);
        }
    }

    private static TableEntity ToEntity(MirrorRow row)
    {
        var entity = new TableEntity(row.PartitionKey, row.RowKey)
        {
            ["RecordKey"] = row.RecordKey,
            ["Digest"] = row.Digest,
            ["Modified"] = row.Modified,
            ["Deleted"] = row.Deleted,
            ["RunId"] = row.RunId,
        };
        return TableLimits.Checked(EntityJson.Write(entity, row.Json));
    }

    private static MirrorRow ToRow(TableEntity entity) =>
        new(
            entity.PartitionKey,
            entity.RowKey,
            entity.GetString("RecordKey") ?? string.Empty,
            EntityJson.Read(entity),
            entity.GetString("Digest") ?? string.Empty,
            entity.GetDateTimeOffset("Modified") ?? DateTimeOffset.MinValue,
            entity.GetBoolean("Deleted") ?? false,
            entity.GetString("RunId") ?? string.Empty);
}
