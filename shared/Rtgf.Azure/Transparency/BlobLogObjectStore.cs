using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Blobs;
using Rtgf.Transparency.Storage;

namespace Rtgf.Azure.Transparency;

/// <summary>
/// The transparency log's objects as block blobs: create-only uploads (<c>If-None-Match: *</c>) for tiles and entry
/// bundles, ETag compare-and-swap (<c>If-Match</c>) for the checkpoint. Tiles and entries are served as immutable;
/// the checkpoint is cached only briefly. An optional prefix lets several logs share one container.
/// </summary>
public sealed class BlobLogObjectStore : ILogObjectStore, ILogObjectLister
{
    /// <summary>Tiles and entry bundles never change once written (C2SP tlog-tiles), so caches may keep them for a year.</summary>
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    /// <summary>The checkpoint moves; readers should see a new one within seconds.</summary>
    public const string CheckpointCacheControl = "public, max-age=5";

    public const string CheckpointContentType = "text/plain; charset=utf-8";

    public const string TileContentType = "application/octet-stream";

    private const string CheckpointPath = "checkpoint";

    private readonly CreatedOnFirstUse<BlobContainerClient> _container;
    private readonly string _prefix;

    /// <param name="container">The container holding the log (created on the first write when it does not exist yet).</param>
    /// <param name="prefix">Optional folder for this log, such as <c>logs/main</c>; blobs are named <c>{prefix}/{path}</c>.</param>
    public BlobLogObjectStore(BlobContainerClient container, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = CreatedOnFirstUse.Container(container);
        var trimmed = (prefix ?? string.Empty).Trim('/');
        if (trimmed.Length > 0)
        {
            ValidatePath(trimmed, nameof(prefix));
        }

        _prefix = trimmed.Length == 0 ? string.Empty : trimmed + "/";
        Prefix = trimmed;
    }

    public string Prefix { get; }

    public async ValueTask<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        var blob = Blob(path);
        try
        {
            var result = (await blob.DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new StoredObject(result.Content.ToMemory(), result.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode is "BlobNotFound" or "ContainerNotFound")
        {
            // No container yet means nothing has been written: an empty log, not an error.
            return null;
        }
    }

    public async ValueTask<bool> CreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        try
        {
            await UploadAsync(path, content, BlobConditions.CreateOnly, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && e.ErrorCode is "BlobAlreadyExists" or "ConditionNotMet")
        {
            return false;
        }
    }

    public async ValueTask<string?> SwapAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        if (expectedVersion is { Length: 0 })
        {
            throw new ArgumentException("An expected version is a non-empty ETag, or null for 'must not exist'.", nameof(expectedVersion));
        }

        var conditions = expectedVersion is null ? BlobConditions.CreateOnly : BlobConditions.Match(new ETag(expectedVersion));
        try
        {
            var info = await UploadAsync(path, content, conditions, cancellationToken).ConfigureAwait(false);
            return info.ETag.ToString();
        }
        catch (RequestFailedException e) when (
            (e.Status is 409 or 412 && e.ErrorCode is "BlobAlreadyExists" or "ConditionNotMet")
            || (e.Status == 404 && e.ErrorCode == "BlobNotFound"))
        {
            // Someone else moved (or removed) the object first: the caller re-reads and decides.
            return null;
        }
    }

    /// <summary>This log's stored paths under <paramref name="prefix"/> (relative to the store's prefix); none before the first write.</summary>
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!await _container.Client.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        await foreach (var blob in _container.Client.GetBlobsAsync(BlobTraits.None, BlobStates.None, _prefix + prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return blob.Name[_prefix.Length..];
        }
    }

    private async Task<BlobContentInfo> UploadAsync(string path, ReadOnlyMemory<byte> content, BlobRequestConditions? conditions, CancellationToken cancellationToken)
    {
        var isCheckpoint = path == CheckpointPath;
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders
            {
                ContentType = isCheckpoint ? CheckpointContentType : TileContentType,
                CacheControl = isCheckpoint ? CheckpointCacheControl : ImmutableCacheControl,
            },
            Conditions = conditions,
        };
        var blob = Blob(path);

        // A fresh account (local Azurite, a new deployment): the first write creates the container; reads treat it as empty.
        await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        return (await blob.UploadAsync(new BinaryData(content), options, cancellationToken).ConfigureAwait(false)).Value;
    }

    private BlobClient Blob(string path)
    {
        ValidatePath(path, nameof(path));
        return _container.Client.CheckedBlob(_prefix + path);
    }

    private static void ValidatePath(string path, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);
        if (path.Length == 0 || path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new ArgumentException($"Log object path '{path}' is invalid: it is relative, with non-empty segments and no '.' or '..'.", parameterName);
        }
    }
}
