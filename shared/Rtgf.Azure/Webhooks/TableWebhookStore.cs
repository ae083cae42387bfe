using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Azure.Webhooks;

/// <summary>
/// Accepted webhooks in table <c>webhooks</c>: PartitionKey = provider, RowKey = event id. Columns: EventType, ReceivedAt,
/// BodyDigest, BodyLength, State, Tries, LastError, UpdatedAt, AppliedAt, Replays, LastReplayBy, Note. Added once
/// (insert, 409 = there already), changed by compare-and-swap on the ETag.
/// </summary>
public sealed class TableWebhookStore(Func<TableServiceClient> service, string prefix = "") : IWebhookStore
{
    public const string TableName = "webhooks";

    // PublicationOnly: a failure (no storage configured yet) is not cached; the next use tries again.
    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(service(), prefix + TableName), LazyThreadSafetyMode.PublicationOnly);

    public async Task<string?> TryAddAsync(WebhookRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var added = await table.AddEntityAsync(ToEntity(record), cancellationToken).ConfigureAwait(false);
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
        try
        {
            await table.UpdateEntityAsync(ToEntity(record), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConditionLost())
        {
            return false;
        }
    }

    public async Task<WebhookPage> ListAsync(string? provider, string? state, int limit, string? continuation, CancellationToken cancellationToken)
    {
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
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<WebhookRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"State eq {state} and UpdatedAt lt {before}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.Add(FromEntity(entity));
            if (found.Count >= max)
            {
                break;
            }
        }

        return found;
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.Value.GetAsync(cancellationToken);

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
