using Rtgf.Pipeline.Storage;
namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The registry's state as JSON rows addressed by (table, partition, row): Azure Table Storage in production. Every write
/// the pipeline makes is create-only, compare-and-swap or a write of a value that is the same on every retry, which is
/// what makes a re-delivered or crashed publication converge. Keys obey <see cref="TableKeys"/>.
/// </summary>
public interface IRecordStore
{
    /// <summary>A row, or null when there is none.</summary>
    Task<StoredRecord?> GetAsync(string table, string partition, string row, CancellationToken cancellationToken = default);

    /// <summary>Creates a row only if none exists; false (and nothing written) when one does.</summary>
    Task<bool> TryCreateAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default);

    /// <summary>Replaces a row only if its ETag is still <paramref name="etag"/>; false (and nothing written) otherwise.</summary>
    Task<bool> TryReplaceAsync(string table, string partition, string row, string json, string etag, CancellationToken cancellationToken = default);

    /// <summary>Writes a row unconditionally: only for values every retry computes identically.</summary>
    Task UpsertAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates up to <see cref="RecordBatch.MaxRows"/> rows of one partition as one atomic batch: true when all were created;
    /// false (and nothing written) when any of them exists.
    /// </summary>
    Task<bool> TryCreateBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes up to <see cref="RecordBatch.MaxRows"/> rows of one partition unconditionally as one atomic batch: only for
    /// values every retry computes identically.
    /// </summary>
    Task UpsertBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Deletes a row if it exists.</summary>
    Task DeleteAsync(string table, string partition, string row, CancellationToken cancellationToken = default);

    /// <summary>Rows of one partition with a row key greater than <paramref name="afterRow"/> (all when null), ordered by row key, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string partition, string? afterRow, int max, CancellationToken cancellationToken = default);
}
