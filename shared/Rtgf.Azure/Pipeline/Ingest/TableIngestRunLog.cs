using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>
/// The ingest-runs table (<c>ingestruns</c>): PartitionKey = source, RowKey = run id. Columns: Trigger, Status, StartedAt,
/// EndedAt, Records, Changed, Batches, Error, Steps (JSON list of {name, count, durationMs}), ServerTime, WindowStart,
/// SnapshotDigest, PreviousSnapshotDigest, OrganisationsWindowStart, ComponentsWindowStart (TGA: where organisations and components were read from, when not WindowStart).
/// </summary>
public sealed class TableIngestRunLog(TableServiceClient service, string tablePrefix = "") : IIngestRunLog
{
    private const int MaxErrorChars = 8_192;

    private readonly CreatedOnFirstUse<TableClient> _table = CreatedOnFirstUse.Table(service, tablePrefix + IngestTables.Runs);

    public async Task<bool> TryStartAsync(IngestRun run, CancellationToken cancellationToken = default)
    {
        var entity = ToEntity(run);
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<(IngestRun Run, string ETag)?> GetAsync(string source, string runId, CancellationToken cancellationToken = default)
    {
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        var entity = await client.GetRowAsync(source, runId, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : (ToRun(entity), entity.ETag.ToString());
    }

    public async Task<bool> TryReplaceAsync(IngestRun run, string etag, CancellationToken cancellationToken = default)
    {
        var entity = ToEntity(run);
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task ReplaceAsync(IngestRun run, CancellationToken cancellationToken = default)
    {
        var entity = ToEntity(run);
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IngestRun>> ListAsync(string source, string? status = null, CancellationToken cancellationToken = default)
    {
        var client = await _table.GetAsync(cancellationToken).ConfigureAwait(false);
        var filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {source}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {source} and Status eq {status}");
        var runs = new List<IngestRun>();
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            runs.Add(ToRun(entity));
        }

        return runs;
    }

    private static TableEntity ToEntity(IngestRun run)
    {
        var entity = new TableEntity(run.Source, run.RunId)
        {
            ["Trigger"] = run.Trigger.ToString().ToLowerInvariant(),
            ["Status"] = run.Status,
            ["StartedAt"] = run.StartedAt,
            ["Records"] = run.Records,
            ["Changed"] = run.Changed,
            ["Batches"] = run.Batches,
            ["Steps"] = JsonSerializer.Serialize([.. run.StepList], IngestJsonContext.Default.ListIngestStep),
        };
        Set(entity, "EndedAt", run.EndedAt);
        Set(entity, "ServerTime", run.ServerTime);
        Set(entity, "WindowStart", run.WindowStart);
        Set(entity, "OrganisationsWindowStart", run.OrganisationsWindowStart);
        Set(entity, "ComponentsWindowStart", run.ComponentsWindowStart);
        // A human message; capped so an unusually long one cannot make the run unrecordable (a property holds 32,768 characters).
        Set(entity, "Error", run.Error is { Length: > MaxErrorChars } error ? error[..MaxErrorChars] + "…" : run.Error);
        Set(entity, "SnapshotDigest", run.SnapshotDigest);
        Set(entity, "PreviousSnapshotDigest", run.PreviousSnapshotDigest);
        return TableLimits.Checked(entity);
    }

    private static IngestRun ToRun(TableEntity entity) => new(
        entity.RowKey,
        entity.PartitionKey,
        Enum.Parse<IngestTrigger>(entity.GetString("Trigger") ?? nameof(IngestTrigger.Timer), ignoreCase: true),
        entity.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
        entity.GetString("Status") ?? IngestRunStatus.Running,
        entity.GetDateTimeOffset("EndedAt"),
        entity.GetInt64("Records") ?? 0,
        entity.GetInt64("Changed") ?? 0,
        entity.GetInt32("Batches") ?? 0,
        entity.GetString("Error"),
        entity.GetString("Steps") is { } steps ? JsonSerializer.Deserialize(steps, IngestJsonContext.Default.ListIngestStep) : null,
        entity.GetDateTimeOffset("ServerTime"),
        entity.GetDateTimeOffset("WindowStart"),
        entity.GetString("SnapshotDigest"),
        entity.GetString("PreviousSnapshotDigest"),
        entity.GetDateTimeOffset("OrganisationsWindowStart"),
        entity.GetDateTimeOffset("ComponentsWindowStart"));

    internal static void Set(TableEntity entity, string name, object? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }
}
