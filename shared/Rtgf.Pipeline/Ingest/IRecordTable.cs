namespace Rtgf.Pipeline.Ingest;

/// <summary>A table of <see cref="MirrorRow"/>s (the TGA mirror, the Layer-1 tables) with conditional writes.</summary>
public interface IRecordTable
{
    string Name { get; }

    Task<StoredRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredRow>> GetPartitionAsync(string partitionKey, CancellationToken cancellationToken = default);

    /// <summary>Inserts (<paramref name="etag"/> null) or replaces the version at <paramref name="etag"/>; false on a conflict.</summary>
    Task<bool> TryWriteAsync(MirrorRow row, string? etag, CancellationToken cancellationToken = default);

    /// <summary>Commits up to 100 changes of one partition atomically; false (nothing written) when a condition failed.</summary>
    Task<bool> TrySubmitAsync(string partitionKey, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default);

    /// <summary>Every row of the table.</summary>
    IAsyncEnumerable<MirrorRow> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="count"/> live rows (tombstones skipped) whose partition key is after <paramref name="afterPartitionKey"/>
    /// (null: from the first), in key order: a cursor over a table keyed by code (the enrichment pages the organisations so).
    /// </summary>
    async Task<IReadOnlyList<MirrorRow>> ReadPageAsync(string? afterPartitionKey, int count, CancellationToken cancellationToken = default)
    {
        var rows = new List<MirrorRow>();
        await foreach (var row in ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!row.Deleted && (afterPartitionKey is null || string.CompareOrdinal(row.PartitionKey, afterPartitionKey) > 0))
            {
                rows.Add(row);
            }
        }

        return [.. rows.OrderBy(r => r.PartitionKey, StringComparer.Ordinal).ThenBy(r => r.RowKey, StringComparer.Ordinal).Take(count)];
    }

    /// <summary>Live rows (tombstones skipped).</summary>
    async Task<int> CountLiveAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        await foreach (var row in ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            count += row.Deleted ? 0 : 1;
        }

        return count;
    }
}
