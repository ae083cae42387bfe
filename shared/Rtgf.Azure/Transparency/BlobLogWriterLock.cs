using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Rtgf.Azure.Blobs;
using Rtgf.Transparency.Integration;

namespace Rtgf.Azure.Transparency;

/// <summary>
/// The log writers' lease as a Blob lease on an empty lock blob beside the log (<c>{prefix}/writer.lock</c>, never served: the log
/// routes serve only <c>checkpoint</c> and <c>tile/…</c>). The blob is created on first use.
/// </summary>
public sealed class BlobLogWriterLock : ILogWriterLock
{
    public const string LockBlobName = "writer.lock";

    private readonly CreatedOnFirstUse<BlobContainerClient> _container;
    private readonly BlobClient _blob;

    /// <param name="container">The log's container.</param>
    /// <param name="time">Real time (the storage server expires leases by it).</param>
    /// <param name="prefix">The log's folder in it, as given to its <see cref="BlobLogObjectStore"/>.</param>
    public BlobLogWriterLock(BlobContainerClient container, TimeProvider time, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(time);
        _container = CreatedOnFirstUse.Container(container);
        Time = time;
        var trimmed = (prefix ?? string.Empty).Trim('/');
        _blob = container.CheckedBlob(trimmed.Length == 0 ? LockBlobName : trimmed + "/" + LockBlobName);
    }

    public TimeProvider Time { get; }

    public async ValueTask<string?> TryAcquireAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await _blob.GetBlobLeaseClient().AcquireAsync(duration, cancellationToken: cancellationToken).ConfigureAwait(false)).Value.LeaseId;
            }
            catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == "LeaseAlreadyPresent")
            {
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt == 0)
            {
                // First use on this account: the container or the lock blob does not exist yet.
                await CreateLockBlobAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask<bool> TryRenewAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _blob.GetBlobLeaseClient(leaseId).RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false; // taken by another writer, broken, or released
        }
    }

    public async ValueTask ReleaseAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _blob.GetBlobLeaseClient(leaseId).ReleaseAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already lost: nothing to give up.
        }
    }

    /// <summary>Ends whoever holds the lease now (an operator's tool for a writer that died holding it; tests use it to simulate expiry).</summary>
    public async Task BreakAsync(CancellationToken cancellationToken = default) =>
        await _blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);

    private async Task CreateLockBlobAsync(CancellationToken cancellationToken)
    {
        await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another writer created it first.
        }
    }
}
