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
}
