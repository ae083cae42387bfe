using Rtgf.Azure.Snapshots;
using Rtgf.Azure.Storage.Blobs;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary><see cref="BlobSnapshotStore"/> whose container is created on first use (the store itself expects it to exist).</summary>
public sealed class EnsuredSnapshotStore(BlobContainerClient container) : ISnapshotStore
{
    private readonly BlobSnapshotStore _store = new(container);
    private readonly EnsuredContainer _container = new(container);

    public async Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _store.WriteAsync(snapshot, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _store.GetLatestAsync(source, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _store.GetAsync(source, digest, cancellationToken).ConfigureAwait(false);
    }

    private Task EnsureAsync(CancellationToken cancellationToken) => _container.EnsureAsync(cancellationToken);
}
