using System.Globalization;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>
/// The batch ledger (<c>ingestbatches</c>): PartitionKey = run id, RowKey = batch number (6 digits); Done, Records, Changed.
/// Run ids are ours (never upstream text), so they are checked, not escaped.
/// </summary>
public sealed class TableBatchLedger(TableServiceClient service, string tablePrefix = "") : IBatchLedger
{
    private const int ChunkSize = 100;
    private readonly CreatedOnFirstUse<TableClient> _table = CreatedOnFirstUse.Table(service, tablePrefix + IngestTables.Batches);

    public async Task CreateAsync(string runId, int batches, CancellationToken cancellationToken = default)
    {
        // Insert-or-merge of Done=false would reopen a committed batch on a re-run of the same trigger; merge only the key.
        var transactions = Enumerable.Range(1, batches).Chunk(ChunkSize)
            .Select(chunk => TableLimits.CheckedTransaction([.. chunk.Select(n => new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity(runId, Key(n)) { ["Batch"] = n }))]))
            .ToList();
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        foreach (var actions in transactions)
        {
            await client.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task MarkDoneAsync(string runId, int batch, long records, long changed, CancellationToken cancellationToken = default)
    {
        var done = TableLimits.Checked(new TableEntity(runId, Key(batch)) { ["Batch"] = batch, ["Done"] = true, ["Records"] = records, ["Changed"] = changed });
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        var entity = await client.GetRowAsync(runId, Key(batch), cancellationToken).ConfigureAwait(false);
        if (entity?.GetBoolean("Done") == true)
        {
            return;
        }

        await client.UpsertEntityAsync(done, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BatchEntry>> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<BatchEntry>();
        await foreach (var entity in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new BatchEntry(runId, entity.GetInt32("Batch") ?? 0, entity.GetBoolean("Done") ?? false, entity.GetInt64("Records") ?? 0, entity.GetInt64("Changed") ?? 0));
        }

        return entries;
    }

    private static string Key(int batch) => batch.ToString("D6", CultureInfo.InvariantCulture);
}
