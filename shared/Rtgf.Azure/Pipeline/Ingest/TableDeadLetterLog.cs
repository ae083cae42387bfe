using Rtgf.Azure.Storage.Tables;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>The <c>deadletters</c> table: PartitionKey = queue, RowKey = message id; Reason, BodyExcerpt, RecordedAt.</summary>
public sealed class TableDeadLetterLog(TableServiceClient service, string tablePrefix = "") : IDeadLetterLog
{
    private readonly EnsuredTable _table = new(service, tablePrefix + IngestTables.DeadLetters);

    public async Task RecordAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        await client.UpsertEntityAsync(
            new TableEntity(TableKeys.Escape(letter.Queue), TableKeys.Escape(letter.MessageId))
            {
                ["Reason"] = letter.Reason,
                ["BodyExcerpt"] = letter.BodyExcerpt,
                ["RecordedAt"] = letter.RecordedAt,
            },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string queue, CancellationToken cancellationToken = default)
    {
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        var letters = new List<DeadLetter>();
        await foreach (var entity in client.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(queue)}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            letters.Add(new DeadLetter(queue, entity.RowKey, entity.GetString("Reason") ?? string.Empty, entity.GetString("BodyExcerpt") ?? string.Empty, entity.GetDateTimeOffset("RecordedAt") ?? DateTimeOffset.MinValue));
        }

        return letters;
    }
}
