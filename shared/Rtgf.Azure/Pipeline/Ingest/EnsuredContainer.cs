using Rtgf.Azure.Storage.Blobs;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>A blob container created on first use (a failed creation is tried again next time).</summary>
internal sealed class EnsuredContainer(BlobContainerClient container)
{
    private Task? _ready;

    public BlobContainerClient Client => container;

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref _ready);
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            ready = container.CreateIfNotExistsAsync(cancellationToken);
            Volatile.Write(ref _ready, ready);
        }

        return ready;
    }
}
