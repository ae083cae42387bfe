using System.Globalization;
using Azure;
using Azure.Core;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>
/// A blob's lease (<c>PUT ?comp=lease</c>): acquire for 15–60 s (or -1, infinite), renew, release, break. Shaped like the SDK's
/// <c>BlobLeaseClient</c>. While a lease is active, writes to the blob need its id; other blobs are not affected.
/// </summary>
public sealed class BlobLeaseClient
{
    /// <summary>A lease that never expires (until released or broken).</summary>
    public static readonly TimeSpan InfiniteLeaseDuration = TimeSpan.FromSeconds(-1);

    private readonly StorageClientContext _context;
    private readonly BlobClient _blob;

    internal BlobLeaseClient(StorageClientContext context, BlobClient blob, string? leaseId)
    {
        _context = context;
        _blob = blob;
        LeaseId = leaseId;
    }

    /// <summary>The lease this client acts as: the one it acquired, or the one it was created with.</summary>
    public string? LeaseId { get; private set; }

    /// <summary>
    /// Acquires the lease (the server picks its id). Throws 409 <c>LeaseAlreadyPresent</c> while another lease is active, and
    /// 404 <c>BlobNotFound</c> when there is no blob to lease.
    /// </summary>
    public async Task<Response<BlobLease>> AcquireAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var seconds = (int)duration.TotalSeconds;
        if (duration != InfiniteLeaseDuration && (seconds is < 15 or > 60 || duration != TimeSpan.FromSeconds(seconds)))
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "A blob lease lasts 15 to 60 whole seconds, or is infinite.");
        }

        var response = await SendAsync("acquire", "BlobLeaseClient.Acquire", request =>
        {
            request.Headers.SetValue("x-ms-lease-duration", seconds.ToString(CultureInfo.InvariantCulture));
            if (LeaseId is { } proposed)
            {
                request.Headers.SetValue("x-ms-proposed-lease-id", proposed);
            }
        }, cancellationToken).ConfigureAwait(false);
        LeaseId = BlobResponses.Header(response, "x-ms-lease-id") ?? throw new RequestFailedException(response.Status, "The acquire response carries no lease id.");
        return Response.FromValue(Lease(response), response);
    }

    /// <summary>Renews the lease; throws 409 (<c>LeaseIdMismatchWithLeaseOperation</c>, <c>LeaseNotPresentWithLeaseOperation</c>, …) when it is lost.</summary>
    public async Task<Response<BlobLease>> RenewAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync("renew", "BlobLeaseClient.Renew", request => request.Headers.SetValue("x-ms-lease-id", Held()), cancellationToken).ConfigureAwait(false);
        return Response.FromValue(Lease(response), response);
    }

    /// <summary>Releases the lease so another client can acquire it at once.</summary>
    public async Task<Response> ReleaseAsync(CancellationToken cancellationToken = default) =>
        await SendAsync("release", "BlobLeaseClient.Release", request => request.Headers.SetValue("x-ms-lease-id", Held()), cancellationToken).ConfigureAwait(false);

    /// <summary>Breaks whatever lease is active (no lease id needed), ending it after <paramref name="breakPeriod"/> (zero: at once).</summary>
    public async Task<Response> BreakAsync(TimeSpan? breakPeriod = null, CancellationToken cancellationToken = default) =>
        await SendAsync("break", "BlobLeaseClient.Break", request =>
        {
            if (breakPeriod is { } period)
            {
                request.Headers.SetValue("x-ms-lease-break-period", ((int)period.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            }
        }, cancellationToken).ConfigureAwait(false);

    private string Held() => LeaseId ?? throw new InvalidOperationException("This lease client holds no lease id: acquire first, or create it with one.");

    private async Task<Response> SendAsync(string action, string operation, Action<Request> headers, CancellationToken cancellationToken)
    {
        using var activity = StorageDiagnostics.StartOperation(operation, _blob.AccountName, _blob.Name);
        using var message = _context.CreateMessage(RequestMethod.Put, new Uri(_blob.Uri.AbsoluteUri + "?comp=lease"));
        message.Request.Headers.SetValue("x-ms-lease-action", action);
        headers(message.Request);
        try
        {
            return await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            StorageDiagnostics.Fail(activity, e);
            throw;
        }
    }

    private static BlobLease Lease(Response response) => new(
        BlobResponses.Header(response, "x-ms-lease-id"),
        response.Headers.ETag ?? default,
        BlobResponses.Date(BlobResponses.Header(response, "Last-Modified")) ?? default);
}

/// <summary>An acquired or renewed lease: its id, and the blob's ETag and last-modified time.</summary>
public sealed record BlobLease(string? LeaseId, ETag ETag, DateTimeOffset LastModified);
