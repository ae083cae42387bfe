namespace Rtgf.Transparency.Storage;

/// <summary>
/// Where the log's objects live (tiles, entry bundles, the checkpoint), addressed by their C2SP tlog-tiles paths
/// (<c>checkpoint</c>, <c>tile/0/x001/234</c>, <c>tile/entries/000.p/5</c>). Blob storage in Azure, memory in tests.
/// </summary>
public interface ILogObjectStore
{
    /// <summary>Reads an object, or null when there is none.</summary>
    ValueTask<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Creates an object only if none exists at the path (<c>If-None-Match: *</c>). False when one already exists; the store is unchanged.</summary>
    ValueTask<bool> CreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-swap: writes only when the stored version equals <paramref name="expectedVersion"/> (<c>If-Match</c>), or, when it
    /// is null, only when no object exists. Returns the new version, or null when the precondition failed; the store is then unchanged.
    /// </summary>
    ValueTask<string?> SwapAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken = default);
}
