using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure;

namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// The daily mismatch reports in Blob container <c>rtgf-reconcile</c>, <c>reports/{yyyy-MM-dd}.json</c>: written once
/// (create-only: a second run of the day, or two at once, keep the first), read by operators at
/// <c>/ops/billing/reconcile/reports…</c>.
/// </summary>
public sealed class ReconcileReportStore(BlobContainerClient container)
{
    public const string ContainerName = "rtgf-reconcile";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly CreatedOnFirstUse<BlobContainerClient> _container = CreatedOnFirstUse.Container(container);

    /// <summary>Stores the report unless the day has one; whether this call stored it.</summary>
    public async Task<bool> TryCreateAsync(ReconcileReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var blobs = await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await blobs.GetBlobClient(Name(report.Day)).UploadAsync(
                BinaryData.FromObjectAsJson(report, Json),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<bool> ExistsAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var blobs = await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        return await blobs.GetBlobClient(Name(Format(day))).ExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReconcileReport?> GetAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var blobs = await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await blobs.GetBlobClient(Name(Format(day))).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<ReconcileReport>(Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The days that have a report, newest first.</summary>
    public async Task<IReadOnlyList<string>> DaysAsync(int limit, CancellationToken cancellationToken)
    {
        var blobs = await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        var days = new List<string>();
        await foreach (var blob in blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, "reports/", cancellationToken).ConfigureAwait(false))
        {
            days.Add(blob.Name["reports/".Length..^".json".Length]);
        }

        return [.. days.OrderDescending(StringComparer.Ordinal).Take(limit)];
    }

    private static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Name(string day) => $"reports/{day}.json";
}
