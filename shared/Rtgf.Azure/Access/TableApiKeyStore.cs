using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Access;

namespace Rtgf.Azure.Access;

/// <summary>
/// API keys in table <c>apikeys</c>: PartitionKey = the public id, RowKey <c>key</c>. Columns: Name, Owner, Scopes
/// (space-separated), Plan, CreatedAt, CreatedBy, ExpiresAt, RotatedAt, RotatedBy, RevokedAt, RevokedBy, RevokedReason,
/// LastUsedAt, PlanChangedBy, PlanChangedAt, Hash (the secret's HMAC; the secret itself is never stored). Changes are
/// compare-and-swap on the ETag; <see cref="ApiKeyRecord"/> carries every column, so a replace from it loses none.
/// </summary>
public sealed class TableApiKeyStore(AccessTables tables) : IApiKeyStore
{
    private const string Row = "key";
    private const int MaxAttempts = 16;

    public async Task<bool> CreateAsync(StoredApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var table = await tables.KeysAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(key), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<StoredApiKey?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var table = await tables.KeysAsync(cancellationToken).ConfigureAwait(false);
        return await table.GetRowAsync(id, Row, cancellationToken).ConfigureAwait(false) is { } entity ? FromEntity(entity) : null;
    }

    public async Task<ApiKeyPage> ListAsync(int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        var table = await tables.KeysAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var page in table.QueryAsync<TableEntity>(maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuation, pageSize).ConfigureAwait(false))
        {
            return new ApiKeyPage([.. page.Values.Select(e => FromEntity(e).Record)], string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new ApiKeyPage([], null);
    }

    public async Task<StoredApiKey?> UpdateAsync(string id, Func<StoredApiKey, StoredApiKey> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var table = await tables.KeysAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await table.GetRowAsync(id, Row, cancellationToken).ConfigureAwait(false) is not { } entity)
            {
                return null;
            }

            var stored = FromEntity(entity);
            var updated = change(stored);
            if (ReferenceEquals(updated, stored))
            {
                return stored; // nothing to change (a refused rotation, a second revocation): no write, no new ETag
            }

            try
            {
                await table.UpdateEntityAsync(ToEntity(updated), entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return updated;
            }
            catch (RequestFailedException e) when (e.IsConditionLost())
            {
                // changed (a sampled last-used write, another operator) since it was read: apply the change again
            }
        }

        throw new InvalidOperationException($"The API key {id} kept changing; gave up after {MaxAttempts} attempts.");
    }

    public async Task TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        var table = await tables.KeysAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await table.GetRowAsync(id, Row, cancellationToken).ConfigureAwait(false) is not { } entity
                || entity.GetDateTimeOffset("LastUsedAt") >= usedAt)
            {
                return;
            }

            try
            {
                // Merge of one column, conditional: it cannot undo a revocation or rotation written in between.
                var touch = new TableEntity(id, Row) { ["LastUsedAt"] = usedAt };
                await table.UpdateEntityAsync(touch, entity.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException e) when (e.IsConditionLost())
            {
            }
        }
    }

    public async Task<StoredApiKey?> ChangePlanAsync(string id, string plan, string actor, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(plan);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var table = await tables.KeysAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await table.GetRowAsync(id, Row, cancellationToken).ConfigureAwait(false) is not { } entity)
            {
                return null;
            }

            var key = FromEntity(entity);
            if (key.Record.IsRevoked || key.Record.Plan == plan)
            {
                return key;
            }

            try
            {
                // Merge of the plan columns, conditional: a revocation or rotation written in between is read again, never undone.
                var change = new TableEntity(id, Row) { ["Plan"] = plan, ["PlanChangedBy"] = actor, ["PlanChangedAt"] = changedAt };
                await table.UpdateEntityAsync(change, entity.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                return key with { Record = key.Record with { Plan = plan, PlanChangedBy = actor, PlanChangedAt = changedAt } };
            }
            catch (RequestFailedException e) when (e.IsConditionLost())
            {
            }
        }

        throw new InvalidOperationException($"The API key {id} kept changing; gave up after {MaxAttempts} attempts.");
    }

    private static TableEntity ToEntity(StoredApiKey key)
    {
        var r = key.Record;
        var entity = new TableEntity(r.Id, Row)
        {
            ["Name"] = r.Name,
            ["Owner"] = r.Owner,
            ["Scopes"] = string.Join(' ', r.Scopes),
            ["Plan"] = r.Plan,
            ["CreatedAt"] = r.CreatedAt,
            ["CreatedBy"] = r.CreatedBy,
            ["ExpiresAt"] = r.ExpiresAt,
            ["RotatedAt"] = r.RotatedAt,
            ["RotatedBy"] = r.RotatedBy,
            ["RevokedAt"] = r.RevokedAt,
            ["RevokedBy"] = r.RevokedBy,
            ["RevokedReason"] = r.RevokedReason,
            ["LastUsedAt"] = r.LastUsedAt,
            ["PlanChangedBy"] = r.PlanChangedBy,
            ["PlanChangedAt"] = r.PlanChangedAt,
            ["Hash"] = key.Hash,
        };
        foreach (var empty in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(empty);
        }

        return TableLimits.Checked(entity);
    }

    private static StoredApiKey FromEntity(TableEntity e) => new(
        new ApiKeyRecord(
            e.PartitionKey,
            e.GetString("Name") ?? string.Empty,
            e.GetString("Owner") ?? string.Empty,
            (e.GetString("Scopes") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
            e.GetString("Plan") ?? ApiPlans.Free,
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            e.GetString("CreatedBy") ?? string.Empty,
            e.GetDateTimeOffset("ExpiresAt"),
            e.GetDateTimeOffset("RotatedAt"),
            e.GetString("RotatedBy"),
            e.GetDateTimeOffset("RevokedAt"),
            e.GetString("RevokedBy"),
            e.GetString("RevokedReason"),
            e.GetDateTimeOffset("LastUsedAt"),
            e.GetString("PlanChangedBy"),
            e.GetDateTimeOffset("PlanChangedAt")),
        e.GetBinary("Hash") ?? []);
}
