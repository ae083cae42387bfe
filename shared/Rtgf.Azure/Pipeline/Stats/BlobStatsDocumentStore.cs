using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Blobs;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Stats;

namespace Rtgf.Azure.Pipeline.Stats;

/// <summary>
/// Statistics documents in a container of their own (<c>rtgf-stats</c>): <c>stats/&lt;buildIdHex&gt;.json</c>, create-only
/// (<c>If-None-Match: *</c>), so the first writer's bytes are the document for good.
/// </summary>
public sealed class BlobStatsDocumentStore : IStatsDocumentStore
{
    public const string ContainerName = "rtgf-stats";

    private readonly CreatedOnFirstUse<BlobContainerClient> _container;

    public BlobStatsDocumentStore(BlobContainerClient container) => _container = CreatedOnFirstUse.Container(container);

    public static string DocumentPath(string buildId) => $"stats/{BuildIds.Hex(buildId)}.json";

    public async Task<bool> TryCreateAsync(string buildId, ReadOnlyMemory<byte> document, CancellationToken cancellationToken = default)
    {
        var blob = _container.Client.CheckedBlob(DocumentPath(buildId));
        await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await blob.UploadAsync(
                new BinaryData(document),
                new BlobUploadOptions { Conditions = BlobConditions.CreateOnly, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<ReadOnlyMemory<byte>?> GetAsync(string buildId, CancellationToken cancellationToken = default)
    {
        // Reads create nothing: a missing container is a missing blob (404).
        var blob = _container.Client.CheckedBlob(DocumentPath(buildId));
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Content.ToMemory();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
