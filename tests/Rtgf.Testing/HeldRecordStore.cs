using Rtgf.Pipeline.Publishing;

namespace Rtgf.Testing;

/// <summary>
/// Passes everything to the store, except that the first write to <paramref name="table"/> (and every later one) waits for
/// <see cref="Release"/>: a publication held part-way.
/// </summary>
public sealed class HeldRecordStore(IRecordStore inner, string table) : IRecordStore
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first write to the table arrives (and waits).</summary>
    public Task Reached => _reached.Task;

    public void Release() => _released.TrySetResult();

    public Task<StoredRecord?> GetAsync(string table, string partition, string row, CancellationToken cancellationToken = default) =>
        inner.GetAsync(table, partition, row, cancellationToken);

    public Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string partition, string? afterRow, int max, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(table, partition, afterRow, max, cancellationToken);

    public async Task<bool> TryCreateAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default)
    {
        await HoldAsync(table, cancellationToken);
        return await inner.TryCreateAsync(table, partition, row, json, cancellationToken);
    }

    public async Task<bool> TryReplaceAsync(string table, string partition, string row, string json, string etag, CancellationToken cancellationToken = default)
    {
        await HoldAsync(table, cancellationToken);
        return await inner.TryReplaceAsync(table, partition, row, json, etag, cancellationToken);
    }

    public async Task UpsertAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default)
    {
        await HoldAsync(table, cancellationToken);
        await inner.UpsertAsync(table, partition, row, json, cancellationToken);
    }

    public async Task<bool> TryCreateBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default)
    {
        await HoldAsync(table, cancellationToken);
        return await inner.TryCreateBatchAsync(table, partition, rows, cancellationToken);
    }

    public async Task UpsertBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default)
    {
        await HoldAsync(table, cancellationToken);
        await inner.UpsertBatchAsync(table, partition, rows, cancellationToken);
    }

    public async Task DeleteAsync(string table, string partition, string row, CancellationToken cancellationToken = default)
    {
        await HoldAsync(table, cancellationToken);
        await inner.DeleteAsync(table, partition, row, cancellationToken);
    }

    private async Task HoldAsync(string written, CancellationToken cancellationToken)
    {
        if (string.Equals(written, table, StringComparison.Ordinal))
        {
            _reached.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
        }
    }
}
