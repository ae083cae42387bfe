using System.Globalization;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>One blob container: create, delete, list its blobs, hand out <see cref="BlobClient"/>s.</summary>
public sealed class BlobContainerClient
{
    private readonly StorageClientContext _context;
    private readonly string _escapedName;

    public BlobContainerClient(string connectionString, string containerName, BlobClientOptions? options = null)
        : this(BlobServiceClient.ContextFromConnectionString(connectionString, options), containerName)
    {
    }

    public BlobContainerClient(Uri serviceEndpoint, string containerName, StorageSharedKeyCredential credential, BlobClientOptions? options = null)
        : this(BlobServiceClient.CreateContext(serviceEndpoint, new StorageAuthentication(SharedKey: credential), options), containerName)
    {
    }

    public BlobContainerClient(Uri serviceEndpoint, string containerName, TokenCredential credential, BlobClientOptions? options = null)
        : this(BlobServiceClient.CreateContext(serviceEndpoint, new StorageAuthentication(Token: credential), options), containerName)
    {
    }

    internal BlobContainerClient(StorageClientContext context, string containerName)
    {
        BlobLimits.ValidateContainerName(containerName);
        _context = context;
        Name = containerName;
        _escapedName = Uri.EscapeDataString(containerName);
        Uri = context.ResourceUri(_escapedName);
    }

    public string Name { get; }

    public string AccountName => _context.AccountName;

    public Uri Uri { get; }

    public BlobClient GetBlobClient(string blobName) => new(_context, Name, blobName);

    /// <summary>Creates the container; throws 409 <c>ContainerAlreadyExists</c> if it exists.</summary>
    public Task<Response> CreateAsync(CancellationToken cancellationToken = default) => CreateCoreAsync(throwIfExists: true, cancellationToken);

    /// <summary>Creates the container unless it exists (a container being deleted still throws).</summary>
    public Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => CreateCoreAsync(throwIfExists: false, cancellationToken);

    /// <summary>Deletes the container; throws 404 if it does not exist.</summary>
    public Task<Response> DeleteAsync(CancellationToken cancellationToken = default) => DeleteCoreAsync(throwIfMissing: true, cancellationToken);

    /// <summary>Deletes the container if it exists; returns whether it did.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default) =>
        (await DeleteCoreAsync(throwIfMissing: false, cancellationToken).ConfigureAwait(false)).Status != 404;

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var activity = StorageDiagnostics.StartOperation("BlobContainerClient.Exists", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Get, new Uri(Uri.AbsoluteUri + "?restype=container"));
        var response = await _context.SendAsync(message, cancellationToken, 404).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <summary>Uploads a new blob (create-only: throws 409 <c>BlobAlreadyExists</c> if the name is taken).</summary>
    public Task<Response<BlobContentInfo>> UploadBlobAsync(string blobName, BinaryData content, CancellationToken cancellationToken = default) =>
        GetBlobClient(blobName).UploadAsync(content, new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }, cancellationToken);

    /// <summary>
    /// Lists blobs whose names start with <paramref name="prefix"/>, in name order, following the
    /// service's markers page by page. With <paramref name="includeMetadata"/>, each item carries its metadata.
    /// </summary>
    public AsyncPageable<BlobItem> GetBlobsAsync(string? prefix = null, bool includeMetadata = false, CancellationToken cancellationToken = default) =>
        new StoragePageable<BlobItem>((marker, pageSizeHint, ct) => ListPageAsync(prefix, includeMetadata, marker, pageSizeHint, ct), cancellationToken);

    private async Task<Page<BlobItem>> ListPageAsync(string? prefix, bool includeMetadata, string? marker, int? pageSize, CancellationToken cancellationToken)
    {
        using var activity = StorageDiagnostics.StartOperation("BlobContainerClient.GetBlobs", AccountName, Name);
        var query = "?restype=container&comp=list";
        if (prefix is not null)
        {
            query += "&prefix=" + Uri.EscapeDataString(prefix);
        }

        if (marker is not null)
        {
            query += "&marker=" + Uri.EscapeDataString(marker);
        }

        if (pageSize is { } size)
        {
            if (size is < 1 or > 5000)
            {
                throw new ArgumentOutOfRangeException(nameof(pageSize), size, "A listing page holds 1 to 5,000 blobs.");
            }

            query += "&maxresults=" + size.ToString(CultureInfo.InvariantCulture);
        }

        if (includeMetadata)
        {
            query += "&include=metadata";
        }

        using var message = _context.CreateMessage(RequestMethod.Get, new Uri(Uri.AbsoluteUri + query));
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var root = XDocument.Parse(response.Content.ToString()).Root
            ?? throw new FormatException("The blob listing is empty.");
        var items = new List<BlobItem>();
        foreach (var blob in root.Element("Blobs")?.Elements("Blob") ?? [])
        {
            var properties = blob.Element("Properties");
            var md5 = properties?.Element("Content-MD5")?.Value;
            var metadata = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in blob.Element("Metadata")?.Elements() ?? [])
            {
                metadata[entry.Name.LocalName] = entry.Value;
            }

            items.Add(new BlobItem(
                blob.Element("Name")?.Value ?? string.Empty,
                new BlobItemProperties(
                    long.Parse(properties?.Element("Content-Length")?.Value ?? "0", NumberStyles.None, CultureInfo.InvariantCulture),
                    NullIfEmpty(properties?.Element("Content-Type")?.Value),
                    NullIfEmpty(properties?.Element("Cache-Control")?.Value),
                    new ETag(properties?.Element("Etag")?.Value ?? string.Empty),
                    BlobResponses.Date(properties?.Element("Last-Modified")?.Value) ?? default,
                    string.IsNullOrEmpty(md5) ? null : Convert.FromBase64String(md5)),
                metadata));
        }

        var nextMarker = NullIfEmpty(root.Element("NextMarker")?.Value);
        return Page<BlobItem>.FromValues(items, nextMarker, response);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private async Task<Response> CreateCoreAsync(bool throwIfExists, CancellationToken cancellationToken)
    {
        using var activity = StorageDiagnostics.StartOperation(throwIfExists ? "BlobContainerClient.Create" : "BlobContainerClient.CreateIfNotExists", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Put, new Uri(Uri.AbsoluteUri + "?restype=container"));
        var response = await _context.SendAsync(message, cancellationToken, 409).ConfigureAwait(false);
        if (response.Status == 409 && (throwIfExists || BlobResponses.Header(response, "x-ms-error-code") != "ContainerAlreadyExists"))
        {
            throw new RequestFailedException(response, null, StorageErrorParser.Instance);
        }

        return response;
    }

    private async Task<Response> DeleteCoreAsync(bool throwIfMissing, CancellationToken cancellationToken)
    {
        using var activity = StorageDiagnostics.StartOperation("BlobContainerClient.Delete", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Delete, new Uri(Uri.AbsoluteUri + "?restype=container"));
        return throwIfMissing
            ? await _context.SendAsync(message, cancellationToken).ConfigureAwait(false)
            : await _context.SendAsync(message, cancellationToken, 404).ConfigureAwait(false);
    }
}
