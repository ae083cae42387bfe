using System.Globalization;
using Azure;
using Azure.Core;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>
/// One block blob: upload (optionally create-only or compare-and-swap), download whole or a range,
/// read properties, delete.
/// </summary>
public sealed class BlobClient
{
    private readonly StorageClientContext _context;

    public BlobClient(string connectionString, string containerName, string blobName, BlobClientOptions? options = null)
        : this(BlobServiceClient.ContextFromConnectionString(connectionString, options), containerName, blobName)
    {
    }

    internal BlobClient(StorageClientContext context, string containerName, string blobName)
    {
        BlobLimits.ValidateContainerName(containerName);
        BlobLimits.ValidateBlobName(blobName);
        _context = context;
        BlobContainerName = containerName;
        Name = blobName;
        Uri = context.ResourceUri(Uri.EscapeDataString(containerName), BlobLimits.EscapePath(blobName));
    }

    public string Name { get; }

    public string BlobContainerName { get; }

    public string AccountName => _context.AccountName;

    public Uri Uri { get; }

    /// <summary>Uploads the content, replacing any existing blob unless <paramref name="overwrite"/> is false (create-only).</summary>
    public Task<Response<BlobContentInfo>> UploadAsync(BinaryData content, bool overwrite = false, CancellationToken cancellationToken = default) =>
        UploadAsync(content, new BlobUploadOptions { Conditions = overwrite ? null : BlobRequestConditions.CreateOnly }, cancellationToken);

    /// <summary>
    /// Uploads the content with properties, metadata and conditions. A failed condition throws:
    /// 409 <c>BlobAlreadyExists</c> for <c>IfNoneMatch = *</c>, 412 <c>ConditionNotMet</c> for a stale <c>IfMatch</c>.
    /// </summary>
    public Task<Response<BlobContentInfo>> UploadAsync(BinaryData content, BlobUploadOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return UploadCoreAsync(RequestContent.Create(content), content.ToMemory().Length, options, cancellationToken);
    }

    /// <summary>Uploads a stream (read from its current position). A non-seekable stream is buffered first so retries can resend it.</summary>
    public async Task<Response<BlobContentInfo>> UploadAsync(Stream content, BlobUploadOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            content = buffer;
        }

        return await UploadCoreAsync(RequestContent.Create(content), content.Length - content.Position, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads the blob, or the given range of it (206), into memory.</summary>
    public async Task<Response<BlobDownloadResult>> DownloadContentAsync(HttpRange range = default, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var activity = StorageDiagnostics.StartOperation("BlobClient.DownloadContent", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Get, Uri);
        ApplyRange(message.Request, range);
        ApplyConditions(message.Request, conditions);
        var response = await SendAsync(message, activity, cancellationToken).ConfigureAwait(false);
        var result = new BlobDownloadResult(response.Content, BlobResponses.Properties(response), BlobResponses.Header(response, "Content-Range"));
        return Response.FromValue(result, response);
    }

    /// <summary>Opens the blob (or a range) as a stream without buffering it; dispose the result when done.</summary>
    public async Task<Response<BlobDownloadStreamingResult>> DownloadStreamingAsync(HttpRange range = default, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var activity = StorageDiagnostics.StartOperation("BlobClient.DownloadStreaming", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Get, Uri);
        message.BufferResponse = false;
        ApplyRange(message.Request, range);
        ApplyConditions(message.Request, conditions);
        var response = await SendAsync(message, activity, cancellationToken).ConfigureAwait(false);
        var stream = message.ExtractResponseContent() ?? Stream.Null;
#pragma warning disable CA2000 // Ownership of the stream passes to the caller, who disposes the result.
        var result = new BlobDownloadStreamingResult(stream, BlobResponses.Properties(response), BlobResponses.Header(response, "Content-Range"));
#pragma warning restore CA2000
        return Response.FromValue(result, response);
    }

    /// <summary>Reads properties and metadata; throws 404 <c>BlobNotFound</c> if the blob does not exist.</summary>
    public async Task<Response<BlobProperties>> GetPropertiesAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var activity = StorageDiagnostics.StartOperation("BlobClient.GetProperties", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Head, Uri);
        ApplyConditions(message.Request, conditions);
        var response = await SendAsync(message, activity, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(BlobResponses.Properties(response), response);
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var activity = StorageDiagnostics.StartOperation("BlobClient.Exists", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Head, Uri);
        var response = await SendAsync(message, activity, cancellationToken, 404).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <summary>Deletes the blob (conditionally, with <paramref name="conditions"/>); throws 404 if it does not exist.</summary>
    public async Task<Response> DeleteAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var activity = StorageDiagnostics.StartOperation("BlobClient.Delete", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Delete, Uri);
        ApplyConditions(message.Request, conditions);
        return await SendAsync(message, activity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The blob's lease operations, as the lease <paramref name="leaseId"/> (null to acquire a new one).</summary>
    public BlobLeaseClient GetBlobLeaseClient(string? leaseId = null) => new(_context, this, leaseId);

    /// <summary>Deletes the blob if it exists; returns whether it did.</summary>
    public async Task<bool> DeleteIfExistsAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var activity = StorageDiagnostics.StartOperation("BlobClient.DeleteIfExists", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Delete, Uri);
        ApplyConditions(message.Request, conditions);
        var response = await SendAsync(message, activity, cancellationToken, 404).ConfigureAwait(false);
        return response.Status != 404;
    }

    private async Task<Response<BlobContentInfo>> UploadCoreAsync(RequestContent content, long length, BlobUploadOptions? options, CancellationToken cancellationToken)
    {
        if (length > BlobLimits.MaxSingleUploadBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The content is {length:N0} bytes; a single upload holds at most {BlobLimits.MaxSingleUploadBytes:N0}."),
                nameof(content));
        }

        BlobLimits.ValidateMetadata(options?.Metadata);
        using var activity = StorageDiagnostics.StartOperation("BlobClient.Upload", AccountName, Name);
        using var message = _context.CreateMessage(RequestMethod.Put, Uri);
        var request = message.Request;
        request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        if (options?.HttpHeaders is { } headers)
        {
            SetIfPresent(request, "x-ms-blob-content-type", headers.ContentType);
            SetIfPresent(request, "x-ms-blob-cache-control", headers.CacheControl);
            SetIfPresent(request, "x-ms-blob-content-encoding", headers.ContentEncoding);
            SetIfPresent(request, "x-ms-blob-content-language", headers.ContentLanguage);
            SetIfPresent(request, "x-ms-blob-content-disposition", headers.ContentDisposition);
            SetIfPresent(request, "x-ms-blob-content-md5", headers.ContentHash is null ? null : Convert.ToBase64String(headers.ContentHash));
        }

        foreach (var (name, value) in options?.Metadata ?? new Dictionary<string, string>())
        {
            request.Headers.SetValue("x-ms-meta-" + name, value);
        }

        ApplyConditions(request, options?.Conditions);
        request.Content = content;
        var response = await SendAsync(message, activity, cancellationToken).ConfigureAwait(false);
        var md5 = BlobResponses.Header(response, "Content-MD5");
        var info = new BlobContentInfo(
            response.Headers.ETag ?? default,
            BlobResponses.Date(BlobResponses.Header(response, "Last-Modified")) ?? default,
            md5 is null ? null : Convert.FromBase64String(md5));
        return Response.FromValue(info, response);
    }

    private async Task<Response> SendAsync(HttpMessage message, System.Diagnostics.Activity? activity, CancellationToken cancellationToken, params int[] tolerated)
    {
        try
        {
            return await _context.SendAsync(message, cancellationToken, tolerated).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            StorageDiagnostics.Fail(activity, e);
            throw;
        }
    }

    private static void SetIfPresent(Request request, string name, string? value)
    {
        if (value is not null)
        {
            request.Headers.SetValue(name, value);
        }
    }

    private static void ApplyRange(Request request, HttpRange range)
    {
        if (range == default)
        {
            return;
        }

        if (range.Offset < 0 || range.Length is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(range), "A range starts at 0 or later and, when bounded, holds at least one byte.");
        }

        var end = range.Length is { } length ? (range.Offset + length - 1).ToString(CultureInfo.InvariantCulture) : string.Empty;
        request.Headers.SetValue("x-ms-range", "bytes=" + range.Offset.ToString(CultureInfo.InvariantCulture) + "-" + end);
    }

    private static void ApplyConditions(Request request, RequestConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }

        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue("If-Match", ifMatch.ToString("H"));
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue("If-None-Match", ifNoneMatch.ToString("H"));
        }

        if (conditions.IfModifiedSince is { } modifiedSince)
        {
            request.Headers.SetValue("If-Modified-Since", modifiedSince.ToString("R", CultureInfo.InvariantCulture));
        }

        if (conditions.IfUnmodifiedSince is { } unmodifiedSince)
        {
            request.Headers.SetValue("If-Unmodified-Since", unmodifiedSince.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
