using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Rtgf.Pipeline.Access;

namespace Rtgf.Azure.Access;

/// <summary>
/// Abuse blocks in table <c>abuseblocks</c>: PartitionKey <c>until</c>, RowKey <c>{Until ticks, 19 digits}_{address as
/// hex UTF-8}</c>, columns Address, Until and Reason. The RowKey sorts by expiry, so the blocks in force are one range read
/// (RowKey past now) that never touches expired rows, and the expired ones are the range before it, which the
/// <c>access-cleanup</c> timer deletes. A block is its own row (extending one writes a later row; readers take the latest
/// per address). The address is hex in the key because a normalised IPv6 address ends in <c>/64</c>, and <c>/</c> is not
/// allowed in a key.
/// </summary>
public sealed class TableAbuseBlockStore(AccessTables tables) : IAbuseBlockStore
{
    internal const string Partition = "until";

    public async Task BlockAsync(AbuseBlock block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(block);
        var table = await tables.BlocksAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(Partition, RowKey(block.Until, block.Address)) { ["Address"] = block.Address, ["Until"] = block.Until, ["Reason"] = block.Reason };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AbuseBlock>> ActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.BlocksAsync(cancellationToken).ConfigureAwait(false);
        var latest = new Dictionary<string, AbuseBlock>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {ExpiredBefore(now)}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var block = new AbuseBlock(e.GetString("Address") ?? string.Empty, e.GetDateTimeOffset("Until") ?? now, e.GetString("Reason") ?? string.Empty);
            if (block.Until > now && (!latest.TryGetValue(block.Address, out var other) || other.Until < block.Until))
            {
                latest[block.Address] = block;
            }
        }

        return [.. latest.Values.OrderBy(b => b.Address, StringComparer.Ordinal)];
    }

    /// <summary>The first RowKey of a block still in force after <paramref name="now"/>: every key before it has expired.</summary>
    internal static string ExpiredBefore(DateTimeOffset now) => Ticks(now.UtcTicks + 1);

    private static string RowKey(DateTimeOffset until, string address) =>
        Ticks(until.UtcTicks) + "_" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(address));

    private static string Ticks(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);
}
