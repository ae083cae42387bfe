using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Pipeline.Operations;
using Rtgf.Pipeline.Sessions;

namespace Rtgf.Azure.Archives;

/// <summary>
/// <c>archive-purge</c> (docs/spec/archives.md#retention): deletes session archives created more than the retention
/// (<c>Archive:RetentionMonths</c>, at least 12) plus <see cref="ArchiveSettings.SkewMargin"/> ago. Age is the blob's
/// creation time, which the storage service sets and no client can set, back-date or carry over by copying (a copy is a
/// new, younger blob): the one time that only errs towards keeping. The archived-at in the header is authenticated only
/// once decrypted, which the purge cannot do without unwrapping every archive's key. Deletes are conditional on the
/// listed ETag, so two instances at once delete each archive once.
/// </summary>
public sealed class ArchivePurge(Func<BlobServiceClient> blobs, TimeProvider time, int retentionMonths = ArchiveSettings.MinimumRetentionMonths, string prefix = "")
{
    private readonly Lazy<CreatedOnFirstUse<BlobContainerClient>> _container = new(() => CreatedOnFirstUse.Container(blobs().GetBlobContainerClient(prefix + OperationsStorage.ArchivesContainer)), LazyThreadSafetyMode.PublicationOnly);

    private readonly int _months = retentionMonths >= ArchiveSettings.MinimumRetentionMonths
        ? retentionMonths
        : throw new ArgumentOutOfRangeException(nameof(retentionMonths), retentionMonths, "Archives are kept at least 12 months.");

    public async Task<ArchivePurgeSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var container = await _container.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = ArchiveSettings.PurgeCutoff(time.GetUtcNow(), _months);
        int deleted = 0, kept = 0;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, SessionArchiver.BlobPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (item.Properties.CreatedOn is not { } created || created >= cutoff)
            {
                kept++;
                continue;
            }

            try
            {
                await container.GetBlobClient(item.Name).DeleteAsync(
                    DeleteSnapshotsOption.IncludeSnapshots,
                    new BlobRequestConditions { IfMatch = item.Properties.ETag },
                    cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Deleted by the other instance (or rewritten, which would make it young again).
            }
        }

        return new ArchivePurgeSummary(deleted, kept, cutoff);
    }
}

/// <summary>One purge run: archives deleted, archives kept, and the creation-time cutoff it judged by.</summary>
public sealed record ArchivePurgeSummary(int Deleted, int Kept, DateTimeOffset Cutoff)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"archive-purge: deleted {Deleted} archive(s) created before {Cutoff.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, kept {Kept}");
}
