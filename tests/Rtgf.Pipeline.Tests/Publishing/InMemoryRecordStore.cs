using System.Globalization;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// An <see cref="IRecordStore"/> in memory with Table Storage's semantics (create-only, ETag swap, atomic batches, rows ordered
/// by key): the crash sweeps run thousands of publications, which Azurite would make minutes long; ordering is what they test.
/// </summary>
internal sealed class InMemoryRecordStore : IRecordStore
{
    private readonly Dictionary<(string Table, string Partition), SortedDictionary<string, StoredRecord>> _partitions = [];
    private readonly Lock _gate = new();
    private long _version;

    /// <summary>Every row of <paramref name="table"/>, ordered by partition then row.</summary>
    public IReadOnlyList<StoredRecord> Rows(string table)
    {
        lock (_gate)
        {
            return [.. _partitions.Where(p => p.Key.Table == table).OrderBy(p => p.Key.Partition, StringComparer.Ordinal).SelectMany(p => p.Value.Values)];
        }
    }

    public Task<StoredRecord?> GetAsync(string table, string partition, string row, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_partitions.GetValueOrDefault((table, partition))?.GetValueOrDefault(row));
        }
    }

    public Task<bool> TryCreateAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default) =>
        TryCreateBatchAsync(table, partition, [new RecordBatchRow(row, json)], cancellationToken);

    public Task<bool> TryReplaceAsync(string table, string partition, string row, string json, string etag, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var rows = Partition(table, partition);
            if (!rows.TryGetValue(row, out var current) || current.ETag != etag)
            {
                return Task.FromResult(false);
            }

            rows[row] = NewRecord(partition, row, json);
            return Task.FromResult(true);
        }
    }

    public Task UpsertAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default) =>
        UpsertBatchAsync(table, partition, [new RecordBatchRow(row, json)], cancellationToken);

    public Task<bool> TryCreateBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default)
    {
        CheckBatch(rows);
        lock (_gate)
        {
            var stored = Partition(table, partition);
            if (rows.Any(r => stored.ContainsKey(r.Row)))
            {
                return Task.FromResult(false);
            }

            foreach (var r in rows)
            {
                stored[r.Row] = NewRecord(partition, r.Row, r.Json);
            }

            return Task.FromResult(true);
        }
    }

    public Task UpsertBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default)
    {
        CheckBatch(rows);
        lock (_gate)
        {
            var stored = Partition(table, partition);
            foreach (var r in rows)
            {
                stored[r.Row] = NewRecord(partition, r.Row, r.Json);
            }

            return Task.CompletedTask;
        }
    }

    public Task DeleteAsync(string table, string partition, string row, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Partition(table, partition).Remove(row);
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string partition, string? afterRow, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        lock (_gate)
        {
            IReadOnlyList<StoredRecord> page = [.. Partition(table, partition).Values
                .Where(r => afterRow is null || string.CompareOrdinal(r.Row, afterRow) > 0)
                .Take(max)];
            return Task.FromResult(page);
        }
    }

    private static void CheckBatch(IReadOnlyList<RecordBatchRow> rows)
    {
        if (rows.Count is 0 or > RecordBatch.MaxRows || rows.Select(r => r.Row).Distinct(StringComparer.Ordinal).Count() != rows.Count)
        {
            throw new ArgumentException($"A batch holds 1 to {RecordBatch.MaxRows} distinct rows.", nameof(rows));
        }
    }

    // Callers hold _gate.
    private SortedDictionary<string, StoredRecord> Partition(string table, string partition)
    {
        if (!_partitions.TryGetValue((table, partition), out var rows))
        {
            rows = new SortedDictionary<string, StoredRecord>(StringComparer.Ordinal);
            _partitions[(table, partition)] = rows;
        }

        return rows;
    }

    private StoredRecord NewRecord(string partition, string row, string json) =>
        new(partition, row, json, (++_version).ToString(CultureInfo.InvariantCulture));
}
