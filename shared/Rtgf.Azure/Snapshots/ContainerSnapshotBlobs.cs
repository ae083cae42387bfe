using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Blobs;

namespace Rtgf.Azure.Snapshots;

/// <summary><see cref="ISnapshotBlobs"/> over one blob container, created on first use.</summary>
internal sealed class ContainerSnapshotBlobs(BlobContainerClient container) : ISnapshotBlobs
{
    private readonly CreatedOnFirstUse<BlobContainerClient> _container = CreatedOnFirstUse.Container(container);

    public async Task<(byte[] Content, ETag ETag)?> TryReadAsync(string name, CancellationToken cancellationToken)
    {
        // Reads create nothing: a missing container is a missing blob (404).
        var blob = container.CheckedBlob(name);
        try
        {
            var result = (await blob.DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return (result.Content.ToArray(), result.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task<bool> CreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        SwapAsync(name, content, null, cancellationToken);

    public async Task<bool> SwapAsync(string name, ReadOnlyMemory<byte> content, ETag? expected, CancellationToken cancellationToken)
    {
        var conditions = expected is { } etag ? BlobConditions.Match(etag) : BlobConditions.CreateOnly;
        var blob = container.CheckedBlob(name);
        await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await blob.UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(name) } },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 || (expected is not null && e.Status == 404 && e.ErrorCode == "BlobNotFound"))
        {
            return false; // the condition was lost: it exists (create-only), moved or is gone (compare-and-swap)
        }
    }

    private static string ContentType(string name) =>
        name.EndsWith(".jsonl", StringComparison.Ordinal) ? "application/jsonl" : name.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/plain";
}
