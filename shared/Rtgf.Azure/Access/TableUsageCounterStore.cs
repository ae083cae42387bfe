using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Access;

namespace Rtgf.Azure.Access;

/// <summary>
/// Request counters in table <c>apiusage</c>: PartitionKey = key id, RowKey = window (<c>m202612050801</c>,
/// <c>M202612</c>), column Count. An add is read-modify-write on the ETag, created if absent (a lost race is read again).
/// </summary>
public sealed class TableUsageCounterStore(AccessTables tables) : IUsageCounterStore
{
    private const int MaxAttempts = 32;

    public async Task<long> AddAsync(string key, string window, long delta, CancellationToken cancellationToken)
    {
        var table = await tables.UsageAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entity = await table.GetRowAsync(key, window, cancellationToken).ConfigureAwait(false);
            var total = (entity?.GetInt64("Count") ?? 0) + delta;
            if (delta == 0 && entity is not null)
            {
                return total;
            }

            try
            {
                var row = new TableEntity(key, window) { ["Count"] = total };
                if (entity is null)
                {
                    await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.UpdateEntityAsync(row, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return total;
            }
            catch (RequestFailedException e) when (e.IsConditionLost())
            {
                // another instance added first: read its total and add ours to it
            }
        }

        throw new InvalidOperationException($"The usage counter {window} of {key} kept changing; gave up after {MaxAttempts} attempts.");
    }
}
