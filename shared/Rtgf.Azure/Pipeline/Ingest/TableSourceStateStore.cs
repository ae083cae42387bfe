using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>
/// The watermarks table (<c>watermarks</c>): PartitionKey <c>source</c>, RowKey = source name. Columns: Watermark,
/// SnapshotDigest, Generation, LastRunId, LastStatus, LastSuccessAt, LastSuccessRunId, LastError, LastErrorAt,
/// OrganisationRecords, ComponentRecords, Cursor, Plan.
/// Updates are read-modify-write with ETag compare-and-swap.
/// </summary>
public sealed class TableSourceStateStore(TableServiceClient service, string tablePrefix = "") : ISourceStateStore
{
    private const string Partition = "source";
    private const int MaxAttempts = 16;
    private readonly CreatedOnFirstUse<TableClient> _table = CreatedOnFirstUse.Table(service, tablePrefix + IngestTables.Watermarks);

    public async Task<SourceState> GetAsync(string source, CancellationToken cancellationToken = default) =>
        (await ReadAsync(source, cancellationToken).ConfigureAwait(false)).State;

    public async Task<SourceState> UpdateAsync(string source, Func<SourceState, SourceState> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (state, etag) = await ReadAsync(source, cancellationToken).ConfigureAwait(false);
            var updated = change(state) with { Source = source };
            try
            {
                if (etag is null)
                {
                    await client.AddEntityAsync(ToEntity(updated), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await client.UpdateEntityAsync(ToEntity(updated), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return updated;
            }
            catch (RequestFailedException e) when (e.IsConditionLost())
            {
                // someone else created, updated or removed the row: apply the change to what is there now
            }
        }

        throw new InvalidOperationException($"The watermarks row of '{source}' kept changing; gave up after {MaxAttempts} attempts.");
    }

    private async Task<(SourceState State, string? ETag)> ReadAsync(string source, CancellationToken cancellationToken)
    {
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        var entity = await client.GetRowAsync(Partition, source, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return (new SourceState(source), null);
        }

        return (new SourceState(
            source,
            entity.GetDateTimeOffset("Watermark"),
            entity.GetString("SnapshotDigest"),
            entity.GetString("Generation"),
            entity.GetString("LastRunId"),
            entity.GetString("LastStatus"),
            entity.GetDateTimeOffset("LastSuccessAt"),
            entity.GetString("LastSuccessRunId"),
            entity.GetString("LastError"),
            entity.GetDateTimeOffset("LastErrorAt"),
            entity.GetInt32("OrganisationRecords"),
            entity.GetInt32("ComponentRecords"),
            entity.GetString("Cursor"),
            entity.GetString("Plan")), entity.ETag.ToString());
    }

    private static TableEntity ToEntity(SourceState state)
    {
        var entity = new TableEntity(Partition, state.Source);
        TableIngestRunLog.Set(entity, "Watermark", state.Watermark);
        TableIngestRunLog.Set(entity, "SnapshotDigest", state.SnapshotDigest);
        TableIngestRunLog.Set(entity, "OrganisationRecords", state.OrganisationRecords);
        TableIngestRunLog.Set(entity, "ComponentRecords", state.ComponentRecords);
        TableIngestRunLog.Set(entity, "Generation", state.Generation);
        TableIngestRunLog.Set(entity, "LastRunId", state.LastRunId);
        TableIngestRunLog.Set(entity, "LastStatus", state.LastStatus);
        TableIngestRunLog.Set(entity, "LastSuccessAt", state.LastSuccessAt);
        TableIngestRunLog.Set(entity, "LastSuccessRunId", state.LastSuccessRunId);
        TableIngestRunLog.Set(entity, "LastError", state.LastError);
        TableIngestRunLog.Set(entity, "LastErrorAt", state.LastErrorAt);
        TableIngestRunLog.Set(entity, "Cursor", state.Cursor);
        TableIngestRunLog.Set(entity, "Plan", state.Plan);
        return TableLimits.Checked(entity);
    }
}
