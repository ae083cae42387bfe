using Azure.Data.Tables;
using Rtgf.Pipeline.Access;

namespace Rtgf.Azure.Access;

/// <summary>
/// Abuse blocks in table <c>abuseblocks</c>: PartitionKey <c>block</c>, RowKey = the normalised address (IPv6 colons are
/// allowed in keys), columns Until and Reason. A block is an upsert (the latest one wins); expired rows are left to be
/// overwritten: the list in force is read with a filter on Until.
/// </summary>
public sealed class TableAbuseBlockStore(AccessTables tables) : IAbuseBlockStore
{
    private const string Partition = "block";

    public async Task BlockAsync(AbuseBlock block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(block);
        var table = await tables.BlocksAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(Partition, block.Address) { ["Until"] = block.Until, ["Reason"] = block.Reason };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AbuseBlock>> ActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.BlocksAsync(cancellationToken).ConfigureAwait(false);
        var blocks = new List<AbuseBlock>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Until gt {now}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            blocks.Add(new AbuseBlock(e.RowKey, e.GetDateTimeOffset("Until") ?? now, e.GetString("Reason") ?? string.Empty));
        }

        return blocks;
    }
}
