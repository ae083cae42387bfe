using Azure;
using Azure.Data.Tables;
using Rtgf.Azure;

namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// Table <c>qbreceipts</c> (access tables' prefix): which Stripe payment became which QuickBooks document.
/// PartitionKey = the QuickBooks entity (<c>SalesReceipt</c>, <c>RefundReceipt</c>), RowKey = the Stripe id;
/// <c>State</c> <c>pending</c> (claimed by conditional insert, QuickBooks maybe not yet asked), <c>created</c>
/// (<c>QuickBooksId</c> known) or <c>rejected</c> (QuickBooks refused the create for good, a 400: <c>FaultCode</c> and
/// <c>Fault</c> say why; reported every day it is due, never retried until an operator deletes the row). The reconcile watermark is row <c>watermark</c>/<c>stripe</c>.
/// </summary>
public sealed class ReceiptLedger(Func<TableServiceClient> service, string prefix = "")
{
    public const string TableName = "qbreceipts";
    public const string Pending = "pending";
    public const string Created = "created";
    public const string Rejected = "rejected";

    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(service(), prefix + TableName), LazyThreadSafetyMode.PublicationOnly);

    public async Task<ReceiptRow?> GetAsync(string entity, string stripeId, CancellationToken cancellationToken)
    {
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(entity, stripeId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Claims the Stripe payment by conditional insert; false when a row is there already (another run's, or a crashed one's).</summary>
    public async Task<bool> TryClaimAsync(ReceiptItem item, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(
                new TableEntity(item.Entity, item.StripeId)
                {
                    ["State"] = Pending,
                    ["DocNumber"] = item.DocNumber,
                    ["Amount"] = item.AmountCents,
                    ["Currency"] = item.Currency,
                    ["Day"] = item.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    ["UpdatedAt"] = now,
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Records the QuickBooks document. Unconditional on purpose: every writer records the same document (one requestid and
    /// one DocNumber per Stripe id), so the last write equals the first.
    /// </summary>
    public async Task MarkCreatedAsync(ReceiptItem item, string quickBooksId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity(item.Entity, item.StripeId) { ["State"] = Created, ["QuickBooksId"] = quickBooksId, ["UpdatedAt"] = now },
            TableUpdateMode.Merge,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records that QuickBooks refused the document for good (a validation or business fault, not a transient one).</summary>
    public async Task MarkRejectedAsync(ReceiptItem item, string? faultCode, string fault, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity(item.Entity, item.StripeId) { ["State"] = Rejected, ["FaultCode"] = faultCode, ["Fault"] = fault.Length > 1000 ? fault[..1000] : fault, ["UpdatedAt"] = now },
            TableUpdateMode.Merge,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes over a pending row to recover it (its DocNumber was not found in QuickBooks): raises its generation (a new
    /// requestid) and its claim time, if the row is still as read (ETag). False when another recoverer took it first.
    /// </summary>
    public async Task<bool> TryTakeOverAsync(ReceiptRow row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(
                new TableEntity(row.Entity, row.StripeId) { ["Generation"] = row.Generation + 1, ["UpdatedAt"] = now },
                row.ETag,
                TableUpdateMode.Merge,
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    public async Task<(DateTimeOffset Value, ETag ETag)?> WatermarkAsync(CancellationToken cancellationToken)
    {
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>("watermark", "stripe", cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value!.GetDateTimeOffset("Value") is { } value ? (value, response.Value.ETag) : null;
    }

    /// <summary>Moves the watermark forward only (compare-and-swap; a run that lost the swap to a later one leaves it).</summary>
    public async Task AdvanceWatermarkAsync(DateTimeOffset value, CancellationToken cancellationToken)
    {
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var current = await WatermarkAsync(cancellationToken).ConfigureAwait(false);
            if (current is { } c && c.Value >= value)
            {
                return;
            }

            try
            {
                var entity = new TableEntity("watermark", "stripe") { ["Value"] = value };
                if (current is { } existing)
                {
                    await table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another run moved it: read again.
            }
        }
    }

    private static ReceiptRow FromEntity(TableEntity entity) => new(
        entity.PartitionKey,
        entity.RowKey,
        entity.GetString("State") ?? Pending,
        entity.GetString("DocNumber"),
        entity.GetString("QuickBooksId"),
        entity.GetString("FaultCode"),
        entity.GetString("Fault"),
        entity.GetDateTimeOffset("UpdatedAt"),
        entity.GetInt32("Generation") ?? 0,
        entity.ETag);
}

/// <summary>One row of <see cref="ReceiptLedger"/>.</summary>
public sealed record ReceiptRow(string Entity, string StripeId, string State, string? DocNumber, string? QuickBooksId, string? FaultCode = null, string? Fault = null, DateTimeOffset? UpdatedAt = null, int Generation = 0, ETag ETag = default);
