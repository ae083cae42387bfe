using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Rtgf.Azure.Storage.Tables;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>
/// <see cref="IRecordTable"/> on one table. Columns: <c>RecordKey</c>, <c>Json</c> (continued in <c>Json1</c>, <c>Json2</c> …
/// when longer than a string property holds), <c>Digest</c>, <c>Modified</c>, <c>Deleted</c>, <c>RunId</c>.
/// </summary>
internal sealed class TableRecordTable(EnsuredTable table) : IRecordTable
{
    private const int ChunkChars = TableLimits.MaxStringChars;

    public string Name => table.Name;

    public async Task<StoredRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        var entity = await client.GetEntityIfExistsAsync(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity is null ? null : new StoredRow(ToRow(entity), entity.ETag.ToString());
    }

    public async Task<IReadOnlyList<StoredRow>> GetPartitionAsync(string partitionKey, CancellationToken cancellationToken = default)
    {
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<StoredRow>();
        await foreach (var entity in client.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StoredRow(ToRow(entity), entity.ETag.ToString()));
        }

        return rows;
    }

    public async Task<bool> TryWriteAsync(MirrorRow row, string? etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (etag is null)
            {
                await client.AddEntityAsync(ToEntity(row), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.UpdateEntityAsync(ToEntity(row), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
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

        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        var actions = changes.Select(c => c.Kind switch
        {
            RowChangeKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(c.Row!)),
            RowChangeKind.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(c.Row!), new ETag(c.ETag!)),
            RowChangeKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(c.Row!)),
            _ => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, c.RowKey), c.ETag is null ? ETag.All : new ETag(c.ETag)),
        }).ToList();
        try
        {
            await client.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<MirrorRow> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await table.GetAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entity in client.QueryAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
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
        for (int offset = 0, i = 0; offset < row.Json.Length || i == 0; offset += ChunkChars, i++)
        {
            entity[i == 0 ? "Json" : "Json" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                row.Json.Substring(offset, Math.Min(ChunkChars, row.Json.Length - offset));
        }

        return entity;
    }

    private static MirrorRow ToRow(TableEntity entity)
    {
        var json = new StringBuilder(entity.GetString("Json") ?? string.Empty);
        for (var i = 1; entity.GetString("Json" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } more; i++)
        {
            json.Append(more);
        }

        return new MirrorRow(
            entity.PartitionKey,
            entity.RowKey,
            entity.GetString("RecordKey") ?? string.Empty,
            json.ToString(),
            entity.GetString("Digest") ?? string.Empty,
            entity.GetDateTimeOffset("Modified") ?? DateTimeOffset.MinValue,
            entity.GetBoolean("Deleted") ?? false,
            entity.GetString("RunId") ?? string.Empty);
    }
}
