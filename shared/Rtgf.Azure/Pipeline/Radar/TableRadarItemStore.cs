using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Radar;

namespace Rtgf.Azure.Pipeline.Radar;

/// <summary>
/// The <c>radaritems</c> table: PartitionKey = RTO code or <c>_all</c>, RowKey = <c>{sequence:D12}-{id}</c>; columns Id,
/// Kind, Subject, Title, Detail, Source, SnapshotDigest, Sequence, ObservedAt. Inserts go in entity-group transactions
/// of up to 100 rows per partition; a transaction refused because a row exists (a re-delivered or concurrent plan) is
/// retried row by row, where an existing row (409) is success: it holds the same item.
/// </summary>
public sealed class TableRadarItemStore(TableServiceClient service, string tablePrefix = "") : IRadarItemStore
{
    private const int Concurrency = 8;
    private readonly CreatedOnFirstUse<TableClient> _table = CreatedOnFirstUse.Table(service, tablePrefix + IngestTables.RadarItems);

    public async Task AddAsync(IReadOnlyList<RadarItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        var chunks = items
            .GroupBy(i => i.Rto, StringComparer.Ordinal)
            .SelectMany(g => g.DistinctBy(i => i.RowKey, StringComparer.Ordinal).Chunk(TableLimits.MaxTransactionActions))
            .ToList();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            try
            {
                var actions = chunk.Select(i => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(i))).ToList();
                await client.SubmitTransactionAsync(TableLimits.CheckedTransaction(actions), ct).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                foreach (var item in chunk)
                {
                    try
                    {
                        await client.AddEntityAsync(ToEntity(item), ct).ConfigureAwait(false);
                    }
                    catch (RequestFailedException conflict) when (conflict.Status == 409)
                    {
                        // already stored by an earlier delivery of the same plan
                    }
                }
            }
        }).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RadarItem>> ReadAsync(string partition, string? after, string before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        var filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey lt {before}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after} and RowKey lt {before}");
        var result = new List<RadarItem>(limit);
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(entity));
            if (result.Count == limit)
            {
                break;
            }
        }

        return result;
    }

    private static TableEntity ToEntity(RadarItem item) => TableLimits.Checked(new TableEntity(item.Rto, item.RowKey)
    {
        ["Id"] = item.Id,
        ["Kind"] = item.Kind,
        ["Subject"] = item.Subject,
        ["Title"] = item.Title,
        ["Detail"] = item.Detail,
        ["Source"] = item.Source,
        ["SnapshotDigest"] = item.SnapshotDigest,
        ["Sequence"] = item.Sequence,
        ["ObservedAt"] = item.ObservedAt,
    });

    private static RadarItem FromEntity(TableEntity e) => new(
        e.GetString("Id"), e.GetString("Kind"), e.PartitionKey, e.GetString("Subject"), e.GetString("Title"), e.GetString("Detail"),
        e.GetString("Source"), e.GetString("SnapshotDigest"), e.GetInt64("Sequence") ?? 0, e.GetDateTimeOffset("ObservedAt") ?? DateTimeOffset.MinValue);
}
