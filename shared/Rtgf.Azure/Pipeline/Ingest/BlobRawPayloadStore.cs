using Rtgf.Azure.Storage.Blobs;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>Raw upstream payloads in one container (<c>rtgf-raw</c>), created on first use; a re-run overwrites its own names.</summary>
public sealed class BlobRawPayloadStore(BlobContainerClient container) : IRawPayloadStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _created;

    public async Task PutAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        if (!_created)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_created)
                {
                    await container.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                    _created = true;
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        await container.GetBlobClient(name).UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken).ConfigureAwait(false);
    }
}
