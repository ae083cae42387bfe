namespace Rtgf.Transparency.Storage;

/// <summary>Reads a log straight from its <see cref="ILogObjectStore"/>.</summary>
public sealed class StoreObjectSource(ILogObjectStore store) : ILogObjectSource
{
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        (await store.GetAsync(path, cancellationToken))?.Content;
}
