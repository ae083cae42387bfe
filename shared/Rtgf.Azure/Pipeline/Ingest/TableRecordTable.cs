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

    /// <summary>A server-side range query: Table storage returns rows in partition-then-row key order, so the first page is the one wanted.</summary>
    public async Task<IReadOnlyList<MirrorRow>> ReadPageAsync(string? afterPartitionKey, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (afterPartitionKey is not null)
        {
            TableLimits.ValidateKey(afterPartitionKey, "PartitionKey");
        }

        var filter = afterPartitionKey is null ? "Deleted eq false" : TableClient.CreateQueryFilter($"PartitionKey gt {afterPartitionKey} and Deleted eq false");
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<MirrorRow>(count);
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, maxPerPage: count, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ToRow(entity));
            if (rows.Count == count)
            {
                break;
            }
        }

        return rows;
    }

    public async Task<int> CountLiveAsync(CancellationToken cancellationToken = default)
    {
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        var count = 0;
        await foreach (var _ in client.QueryAsync<TableEntity>("Deleted eq false", select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
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
