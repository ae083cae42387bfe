using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>An <see cref="IRecordStore"/> whose writes (a batch is one write: it is atomic) crash once the budget is spent (reads always pass).</summary>
internal sealed class CrashingRecordStore(IRecordStore inner, CrashBudget budget) : IRecordStore
{
    public Task<StoredRecord?> GetAsync(string table, string partition, string row, CancellationToken cancellationToken = default) =>
        inner.GetAsync(table, partition, row, cancellationToken);

    public Task<bool> TryCreateAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default) =>
        budget.WriteAsync($"{table} {partition}/{row} create", () => inner.TryCreateAsync(table, partition, row, json, cancellationToken));

    public Task<bool> TryReplaceAsync(string table, string partition, string row, string json, string etag, CancellationToken cancellationToken = default) =>
        budget.WriteAsync($"{table} {partition}/{row} replace", () => inner.TryReplaceAsync(table, partition, row, json, etag, cancellationToken));

    public Task UpsertAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default) =>
        budget.WriteAsync($"{table} {partition}/{row} upsert", () => inner.UpsertAsync(table, partition, row, json, cancellationToken));

    public Task<bool> TryCreateBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default) =>
        budget.WriteAsync($"{table} {partition} create batch of {rows.Count}", () => inner.TryCreateBatchAsync(table, partition, rows, cancellationToken));

    public Task UpsertBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default) =>
        budget.WriteAsync($"{table} {partition} upsert batch of {rows.Count}", () => inner.UpsertBatchAsync(table, partition, rows, cancellationToken));

    public Task DeleteAsync(string table, string partition, string row, CancellationToken cancellationToken = default) =>
        budget.WriteAsync($"{table} {partition}/{row} delete", () => inner.DeleteAsync(table, partition, row, cancellationToken));

    public Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string partition, string? afterRow, int max, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(table, partition, afterRow, max, cancellationToken);
}
