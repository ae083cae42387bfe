using Rtgf.Azure.Storage.Blobs;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>Raw upstream payloads in one container (<c>rtgf-raw</c>), created on first use; a re-run overwrites its own names.</summary>
public sealed class BlobRawPayloadStore(BlobContainerClient container) : IRawPayloadStore
{
    private readonly EnsuredContainer _container = new(container);

    public async Task PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        await _container.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(name).UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken).ConfigureAwait(false);
    }
}
