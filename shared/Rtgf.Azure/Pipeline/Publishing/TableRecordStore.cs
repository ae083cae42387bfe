using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Azure;
using Rtgf.Azure.Storage.Tables;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Azure.Pipeline.Publishing;

/// <summary>
/// <see cref="IRecordStore"/> on Azure Table Storage: one table per logical table (created on first use, optionally
/// prefixed), the JSON body split over string properties <c>J0</c>, <c>J1</c>, … of at most 30,000 characters (a property
/// holds 64 KiB), and keys escaped so the characters Table Storage forbids (<c>/ \ # ?</c>, controls) cannot occur.
/// </summary>
public sealed class TableRecordStore : IRecordStore
{
    private const int ChunkChars = 30_000;
    private const string CountProperty = "JN";

    private readonly TableServiceClient _service;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public TableRecordStore(TableServiceClient service, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(prefix);
        _service = service;
        _prefix = prefix;
    }

    public async Task<StoredRecord?> GetAsync(string table, string partition, string row, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        var entity = await client.GetEntityIfExistsAsync(EncodeKey(partition), EncodeKey(row), cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToRecord(entity);
    }

    public async Task<bool> TryCreateAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AddEntityAsync(ToEntity(partition, row, json), cancellationToken).ConfigureAwait(false);
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
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.UpdateEntityAsync(ToEntity(partition, row, json), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task UpsertAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        await client.UpsertEntityAsync(ToEntity(partition, row, json), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryCreateBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.SubmitTransactionAsync(Actions(TableTransactionActionType.Add, partition, rows), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task UpsertBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        await client.SubmitTransactionAsync(Actions(TableTransactionActionType.UpsertReplace, partition, rows), cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string table, string partition, string row, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        await client.DeleteEntityAsync(EncodeKey(partition), EncodeKey(row), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string partition, string? afterRow, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var client = await TableAsync(table, cancellationToken).ConfigureAwait(false);
        var filter = afterRow is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {EncodeKey(partition)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {EncodeKey(partition)} and RowKey gt {EncodeKey(afterRow)}");
        var result = new List<StoredRecord>();
        await foreach (var entity in client.QueryAsync(filter, Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToRecord(entity));
            if (result.Count == max)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Escapes the characters Table Storage forbids in keys (and '%', the escape itself), keeping everything else.</summary>
    public static string EncodeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.AsSpan().ContainsAny("%/\\#?") && !key.Any(char.IsControl))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length + 8);
        foreach (var c in key)
        {
            if (c is '%' or '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string DecodeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    private static List<TableTransactionAction> Actions(TableTransactionActionType type, string partition, IReadOnlyList<RecordBatchRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count is 0 or > RecordBatch.MaxRows)
        {
            throw new ArgumentException($"A batch holds 1 to {RecordBatch.MaxRows} rows; this one has {rows.Count}.", nameof(rows));
        }

        return [.. rows.Select(r => new TableTransactionAction(type, ToEntity(partition, r.Row, r.Json)))];
    }

    private static TableEntity ToEntity(string partition, string row, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var entity = new TableEntity(EncodeKey(partition), EncodeKey(row));
        var chunks = (json.Length + ChunkChars - 1) / ChunkChars;
        entity[CountProperty] = chunks;
        for (var i = 0; i < chunks; i++)
        {
            entity["J" + i.ToString(CultureInfo.InvariantCulture)] = json.Substring(i * ChunkChars, Math.Min(ChunkChars, json.Length - (i * ChunkChars)));
        }

        return entity;
    }

    private static StoredRecord ToRecord(TableEntity entity)
    {
        var chunks = entity.GetInt32(CountProperty) ?? throw new FormatException($"Row {entity.PartitionKey}/{entity.RowKey} has no '{CountProperty}' property: it was not written by this store.");
        var json = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            json.Append(entity.GetString("J" + i.ToString(CultureInfo.InvariantCulture)));
        }

        return new StoredRecord(DecodeKey(entity.PartitionKey), DecodeKey(entity.RowKey), json.ToString(), entity.ETag.ToString());
    }

    private async Task<TableClient> TableAsync(string table, CancellationToken cancellationToken)
    {
        var lazy = _tables.GetOrAdd(table, name => new Lazy<Task<TableClient>>(() => _service.CreateTableIfNotExistsAsync(_prefix + name, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(table, lazy));
            throw;
        }
    }
}
