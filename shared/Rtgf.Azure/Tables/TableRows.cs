using Azure;
using Azure.Data.Tables;

namespace Rtgf.Azure.Tables;

/// <summary>The SDK calls our row stores share, in the shape they use them.</summary>
internal static class TableRows
{
    /// <summary>The entity, or null when there is none.</summary>
    public static async Task<TableEntity?> GetRowAsync(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Whether a failed write lost a condition: the row exists (409), moved on (412) or is gone (404).</summary>
    public static bool IsConditionLost(this RequestFailedException e) => e.Status is 409 or 412 or 404;
}
