using Azure;
using Rtgf.Azure.Storage.Blobs;

namespace Rtgf.Azure.Snapshots;

/// <summary><see cref="ISnapshotBlobs"/> over one blob container.</summary>
internal sealed class ContainerSnapshotBlobs(BlobContainerClient container) : ISnapshotBlobs
{
    public async Task<(byte[] Content, ETag ETag)?> TryReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var result = (await container.GetBlobClient(name).DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
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
        var conditions = expected is { } etag ? BlobRequestConditions.MatchETag(etag) : BlobRequestConditions.CreateOnly;
        try
        {
            await container.GetBlobClient(name).UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(name) } },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private static string ContentType(string name) =>
        name.EndsWith(".jsonl", StringComparison.Ordinal) ? "application/jsonl" : name.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/plain";
}
