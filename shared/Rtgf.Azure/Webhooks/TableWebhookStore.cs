using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Azure.Webhooks;

/// <summary>
/// Accepted webhooks in table <c>webhooks</c>: PartitionKey = provider, RowKey = event id. Columns: EventType, ReceivedAt,
/// BodyDigest, BodyLength, State, Tries, LastError, UpdatedAt, AppliedAt, Replays, LastReplayBy, Note. Added once
/// (insert, 409 = there already), changed by compare-and-swap on the ETag.
/// <para>
/// The state index, table <c>webhookstates</c> (PartitionKey = state, RowKey = <c>{provider}!{eventId}</c>, no columns),
/// so the sweep and listing by state read one partition, not the whole table. It is a superset: a row is written before
/// the record enters the state and again after (so a concurrent prune cannot remove it for good), and a row whose record
/// is elsewhere is pruned over two reads (marked <c>Stale</c>, then deleted if still marked), each conditional on the row's
/// ETag (so a row rewritten meanwhile stays, and a record that entered the state between the reads keeps its row).
/// </para>
/// </summary>
public sealed class TableWebhookStore(Func<TableServiceClient> service, string prefix = "") : IWebhookStore
{
    public const string TableName = "webhooks";
    public const string IndexTableName = "webhookstates";
    private const char Separator = '!';
    private const string StaleColumn = "Stale";

    // PublicationOnly: a failure (no storage configured yet) is not cached; the next use tries again.
    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(service(), prefix + TableName), LazyThreadSafetyMode.PublicationOnly);
    private readonly Lazy<CreatedOnFirstUse<TableClient>> _index = new(() => CreatedOnFirstUse.Table(service(), prefix + IndexTableName), LazyThreadSafetyMode.PublicationOnly);

    public async Task<string?> TryAddAsync(WebhookRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        await IndexAsync(record, cancellationToken).ConfigureAwait(false);
        try
        {
            var added = await table.AddEntityAsync(ToEntity(record), cancellationToken).ConfigureAwait(false);
            await IndexAsync(record, cancellationToken).ConfigureAwait(false); // again: a prune may have read "no record" before the insert
            return added.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The table service answered an insert without an ETag.");
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    public async Task<StoredWebhook?> GetAsync(string provider, string eventId, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return await table.GetRowAsync(provider, eventId, cancellationToken).ConfigureAwait(false) is { } entity
            ? new StoredWebhook(FromEntity(entity), entity.ETag.ToString())
            : null;
    }

    public async Task<bool> TryReplaceAsync(WebhookRecord record, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        await IndexAsync(record, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(ToEntity(record), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            await IndexAsync(record, cancellationToken).ConfigureAwait(false); // again: a prune may have read the record before the swap
            return true;
        }
        catch (RequestFailedException e) when (e.IsConditionLost())
        {
            return false;
        }
    }

    public async Task<WebhookPage> ListAsync(string? provider, string? state, int limit, string? continuation, CancellationToken cancellationToken)
    {
        if (state is not null)
        {
            return await ListIndexedAsync(provider, state, limit, continuation, cancellationToken).ConfigureAwait(false);
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var filter = (provider, state) switch
        {
            (null, null) => null,
            ({ } p, null) => TableClient.CreateQueryFilter($"PartitionKey eq {p}"),
            (null, { } s) => TableClient.CreateQueryFilter($"State eq {s}"),
            ({ } p, { } s) => TableClient.CreateQueryFilter($"PartitionKey eq {p} and State eq {s}"),
        };
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: cancellationToken).AsPages(continuation, limit).ConfigureAwait(false))
        {
            return new WebhookPage([.. page.Values.Select(FromEntity)], string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new WebhookPage([], null);
    }

    public async Task<IReadOnlyList<WebhookRecord>> ListStuckAsync(string state, DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var index = await IndexTableAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<WebhookRecord>();
        await foreach (var row in index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {state}"), select: ["PartitionKey", "RowKey", StaleColumn], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await InStateAsync(row, cancellationToken).ConfigureAwait(false) is { } record && record.UpdatedAt < before)
            {
                found.Add(record);
                if (found.Count >= max)
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>A page of the state's index rows, each resolved to its record (a page may be short: stale rows are pruned).</summary>
    private async Task<WebhookPage> ListIndexedAsync(string? provider, string state, int limit, string? continuation, CancellationToken cancellationToken)
    {
        var index = await IndexTableAsync(cancellationToken).ConfigureAwait(false);
        var filter = provider is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {state}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {state} and RowKey gt {provider + Separator} and RowKey lt {provider + (char)(Separator + 1)}");
        await foreach (var page in index.QueryAsync<TableEntity>(filter, maxPerPage: limit, select: ["PartitionKey", "RowKey", StaleColumn], cancellationToken: cancellationToken).AsPages(continuation, limit).ConfigureAwait(false))
        {
            var records = new List<WebhookRecord>();
            foreach (var row in page.Values)
            {
                if (await InStateAsync(row, cancellationToken).ConfigureAwait(false) is { } record)
                {
                    records.Add(record);
                }
            }

            return new WebhookPage(records, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new WebhookPage([], null);
    }

    /// <summary>The index row's record if it is in the row's state; else the row is pruned (unless rewritten meanwhile) and null.</summary>
    private async Task<WebhookRecord?> InStateAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var separator = row.RowKey.IndexOf(Separator, StringComparison.Ordinal);
        var record = separator > 0 ? (await GetAsync(row.RowKey[..separator], row.RowKey[(separator + 1)..], cancellationToken).ConfigureAwait(false))?.Record : null;
        if (record is not null && record.State == row.PartitionKey)
        {
            return record;
        }

        // Two reads apart: the first marks the row, a later one deletes it if it is still marked (the mark and the delete are
        // conditional on the row's ETag, and a writer's upsert clears the mark). A writer that indexes, then writes its record
        // and dies before indexing again is seen in the state by that later read, so its row is never lost; one read alone
        // could have looked at the record just before the writer's write.
        var index = await IndexTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (row.GetBoolean(StaleColumn) == true)
            {
                await index.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await index.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { [StaleColumn] = true }, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException e) when (e.IsConditionLost())
        {
            // Rewritten meanwhile (its record is entering the state) or pruned by another reader: either way, leave it.
        }

        return null;
    }

    private async Task IndexAsync(WebhookRecord record, CancellationToken cancellationToken)
    {
        var index = await IndexTableAsync(cancellationToken).ConfigureAwait(false);
        await index.UpsertEntityAsync(TableLimits.Checked(new TableEntity(record.State, record.Provider + Separator + record.EventId)), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.Value.GetAsync(cancellationToken);

    private Task<TableClient> IndexTableAsync(CancellationToken cancellationToken) => _index.Value.GetAsync(cancellationToken);

    private static TableEntity ToEntity(WebhookRecord r)
    {
        var entity = new TableEntity(r.Provider, r.EventId)
        {
            ["EventType"] = r.EventType,
            ["ReceivedAt"] = r.ReceivedAt,
            ["BodyDigest"] = r.BodyDigest,
            ["BodyLength"] = r.BodyLength,
            ["State"] = r.State,
            ["Tries"] = r.Tries,
            ["LastError"] = r.LastError,
            ["UpdatedAt"] = r.UpdatedAt,
            ["AppliedAt"] = r.AppliedAt,
            ["Replays"] = r.Replays,
            ["LastReplayBy"] = r.LastReplayBy,
            ["Note"] = r.Note,
        };
        foreach (var empty in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(empty);
        }

        return TableLimits.Checked(entity);
    }

    private static WebhookRecord FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("EventType") ?? string.Empty,
        e.GetDateTimeOffset("ReceivedAt") ?? DateTimeOffset.MinValue,
        e.GetString("BodyDigest") ?? string.Empty,
        e.GetInt64("BodyLength") ?? 0,
        e.GetString("State") ?? WebhookStates.Received,
        e.GetInt32("Tries") ?? 0,
        e.GetString("LastError"),
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("AppliedAt"),
        e.GetInt32("Replays") ?? 0,
        e.GetString("LastReplayBy"),
        e.GetString("Note"));
}
