using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Blobs;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Azure.Webhooks;

/// <summary>
/// Raw webhook bodies in one container (<c>rtgf-webhooks</c>), content-addressed as <c>sha256/&lt;hex&gt;</c> and written
/// create-only: a stored body is never replaced, and concurrent duplicates of one body all succeed.
/// </summary>
public sealed class BlobWebhookBodyStore(BlobContainerClient container) : IWebhookBodyStore
{
    public const string ContainerName = "rtgf-webhooks";

    private readonly CreatedOnFirstUse<BlobContainerClient> _container = CreatedOnFirstUse.Container(container);

    public async Task PutAsync(string digest, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var blob = container.CheckedBlob(Name(digest));
        await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await blob.UploadAsync(
                BinaryData.FromBytes(body),
                new BlobUploadOptions { Conditions = BlobConditions.CreateOnly, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // There already: the same digest is the same bytes.
        }
    }

    public async Task<byte[]?> GetAsync(string digest, CancellationToken cancellationToken)
    {
        var blob = container.CheckedBlob(Name(digest));
        await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The blob name of a digest (64 lowercase hex digits; anything else is refused, never used as a path).</summary>
    public static string Name(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (digest.Length != 64 || !digest.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new ArgumentException("A body digest is 64 lowercase hex digits.", nameof(digest));
        }

        return "sha256/" + digest;
    }
}
