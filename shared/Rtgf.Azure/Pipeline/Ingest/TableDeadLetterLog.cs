using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Storage;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>The <c>deadletters</c> table: PartitionKey = queue, RowKey = message id; Reason, BodyExcerpt, RecordedAt.</summary>
public sealed class TableDeadLetterLog(TableServiceClient service, string tablePrefix = "") : IDeadLetterLog
{
    private readonly CreatedOnFirstUse<TableClient> _table = CreatedOnFirstUse.Table(service, tablePrefix + IngestTables.DeadLetters);

    public async Task RecordAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var entity = TableLimits.Checked(new TableEntity(TableKeys.Escape(letter.Queue), TableKeys.Escape(letter.MessageId))
        {
            ["Reason"] = letter.Reason,
            ["BodyExcerpt"] = letter.BodyExcerpt,
            ["RecordedAt"] = letter.RecordedAt,
        });
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string queue, CancellationToken cancellationToken = default)
    {
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        var letters = new List<DeadLetter>();
        await foreach (var entity in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(queue)}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            letters.Add(new DeadLetter(queue, TableKeys.Unescape(entity.RowKey), entity.GetString("Reason") ?? string.Empty, entity.GetString("BodyExcerpt") ?? string.Empty, entity.GetDateTimeOffset("RecordedAt") ?? DateTimeOffset.MinValue));
        }

        return letters;
    }
}
