using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Rtgf.Pipeline.Publishing;

/// <summary>Typed access to <see cref="IRecordStore"/> rows through source-generated JSON.</summary>
internal static class RecordStoreExtensions
{
    public static async Task<(T Value, string ETag)?> GetAsync<T>(
        this IRecordStore store, string table, string partition, string row, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(table, partition, row, cancellationToken).ConfigureAwait(false);
        return record is null ? null : (Read(record, type), record.ETag);
    }

    public static T Read<T>(StoredRecord record, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(record.Json, type)
        ?? throw new InvalidOperationException($"The stored row {record.Partition}/{record.Row} is null, not a {typeof(T).Name}.");

    public static Task<bool> TryCreateAsync<T>(this IRecordStore store, string table, string partition, string row, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        store.TryCreateAsync(table, partition, row, JsonSerializer.Serialize(value, type), cancellationToken);

    public static Task<bool> TryReplaceAsync<T>(this IRecordStore store, string table, string partition, string row, T value, string etag, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        store.TryReplaceAsync(table, partition, row, JsonSerializer.Serialize(value, type), etag, cancellationToken);

    public static Task UpsertAsync<T>(this IRecordStore store, string table, string partition, string row, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        store.UpsertAsync(table, partition, row, JsonSerializer.Serialize(value, type), cancellationToken);

    /// <summary>Every row of a partition, ordered by row key, read a page at a time.</summary>
    public static async Task<List<StoredRecord>> QueryAllAsync(this IRecordStore store, string table, string partition, CancellationToken cancellationToken)
    {
        const int Page = 1000;
        var all = new List<StoredRecord>();
        string? after = null;
        while (true)
        {
            var page = await store.QueryAsync(table, partition, after, Page, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < Page)
            {
                return all;
            }

            after = page[^1].Row;
        }
    }
}
