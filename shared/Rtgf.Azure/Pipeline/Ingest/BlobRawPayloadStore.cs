using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Blobs;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>Raw upstream payloads in one container (<c>rtgf-raw</c>), created on first use; a re-run overwrites its own names.</summary>
public sealed class BlobRawPayloadStore(BlobContainerClient container) : IRawPayloadStore
{
    private readonly CreatedOnFirstUse<BlobContainerClient> _container = CreatedOnFirstUse.Container(container);

    public async Task PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        var blob = container.CheckedBlob(name);
        await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        await blob.UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken).ConfigureAwait(false);
    }
}
