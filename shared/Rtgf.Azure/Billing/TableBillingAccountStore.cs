using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Billing;

namespace Rtgf.Azure.Billing;

/// <summary>
/// Billing accounts in table <c>billingaccounts</c> (created on first use, with the access tables' prefix): PartitionKey =
/// the API key's public id, RowKey <c>account</c>. Events that name no known account are kept in the same table under
/// PartitionKey <c>unmatched</c>, RowKey = the Stripe event id; the Checkout Sessions checkouts made under PartitionKey
/// <c>sessions</c>, RowKey = the session id. Every change is compare-and-swap on the ETag.
/// </summary>
public sealed class TableBillingAccountStore(Func<TableServiceClient> service, string prefix = "")
{
    public const string TableName = "billingaccounts";
    private const string Row = "account";
    private const string Unmatched = "unmatched";
    private const string Sessions = "sessions";
    private const int MaxAttempts = 16;

    // PublicationOnly: a failure (no storage configured yet) is not cached; the next use tries again.
    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(service(), prefix + TableName), LazyThreadSafetyMode.PublicationOnly);

    public async Task<(BillingAccount Account, ETag ETag)?> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return await table.GetRowAsync(keyId, Row, cancellationToken).ConfigureAwait(false) is { } entity ? (FromEntity(entity), entity.ETag) : null;
    }

    /// <summary>Adds the account unless the key has one already; the stored account either way.</summary>
    public async Task<BillingAccount> CreateAsync(BillingAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(account), cancellationToken).ConfigureAwait(false);
            return account;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (await GetAsync(account.KeyId, cancellationToken).ConfigureAwait(false))?.Account
                ?? throw new InvalidOperationException($"The billing account of key {account.KeyId} was there, then gone.", e);
        }
    }

    /// <summary>
    /// Replaces the account read with <paramref name="etag"/>; false when it changed since (the caller reads it again,
    /// and Stripe too, so the newest write is always from the newest look at Stripe).
    /// </summary>
    public async Task<bool> TryReplaceAsync(BillingAccount account, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(ToEntity(account), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConditionLost())
        {
            return false;
        }
    }

    /// <summary>Applies <paramref name="change"/> by compare-and-swap (again on a lost race); null when there is no account.</summary>
    public async Task<BillingAccount?> UpdateAsync(string keyId, Func<BillingAccount, BillingAccount> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await GetAsync(keyId, cancellationToken).ConfigureAwait(false) is not { } read)
            {
                return null;
            }

            var changed = change(read.Account);
            if (changed == read.Account || await TryReplaceAsync(changed, read.ETag, cancellationToken).ConfigureAwait(false))
            {
                return changed;
            }
        }

        throw new InvalidOperationException($"The billing account of key {keyId} kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>Accounts whose subscription is past due or unpaid (the grace timer's work list), ordered by key id.</summary>
    public async Task<IReadOnlyList<BillingAccount>> ListPastDueAsync(CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var accounts = new List<BillingAccount>();
        await foreach (var entity in table.QueryAsync<TableEntity>($"RowKey eq '{Row}' and (Status eq 'past_due' or Status eq 'unpaid')", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(FromEntity(entity));
        }

        return [.. accounts.OrderBy(a => a.KeyId, StringComparer.Ordinal)];
    }

    /// <summary>Records (once per event id) an event that names no known account, so it is seen and not retried forever.</summary>
    public async Task RecordUnmatchedAsync(string eventId, string eventType, string? customerId, string? keyId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(Unmatched, eventId)
        {
            ["EventId"] = eventId,
            ["EventType"] = eventType,
            ["CustomerId"] = customerId,
            ["KeyId"] = keyId,
            ["Reason"] = reason,
            ["At"] = at,
        };
        foreach (var empty in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(empty);
        }

        await table.UpsertEntityAsync(TableLimits.Checked(entity), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the notice <paramref name="occasion"/> (an email's idempotency key) of the key was sent.</summary>
    public async Task<bool> HasNoticeAsync(string keyId, string occasion, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return await table.GetRowAsync(keyId, NoticeRow(occasion), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Records the notice as sent (once: a second record of the same occasion changes nothing).</summary>
    public async Task RecordNoticeAsync(string keyId, string occasion, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(TableLimits.Checked(new TableEntity(keyId, NoticeRow(occasion)) { ["Occasion"] = occasion, ["At"] = at }), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Recorded by a concurrent or earlier handling of the same occasion.
        }
    }

    /// <summary>Records a Checkout Session a checkout of <paramref name="keyId"/> made (the success page answers only for these).</summary>
    public async Task RecordSessionAsync(string sessionId, string keyId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(TableLimits.Checked(new TableEntity(Sessions, sessionId) { ["KeyId"] = keyId, ["At"] = at }), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a checkout of RTGF made the Checkout Session (<see cref="RecordSessionAsync"/>).</summary>
    public async Task<bool> IsSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return await table.GetRowAsync(Sessions, sessionId, cancellationToken).ConfigureAwait(false) is not null;
    }

    // Occasions are "receipt:in_…": ids of Stripe's [A-Za-z0-9_] and ':', all allowed in a RowKey.
    private static string NoticeRow(string occasion) => "notice:" + occasion;

    /// <summary>The recorded unmatched events, ordered by event id.</summary>
    public async Task<IReadOnlyList<(string EventId, string EventType, string? CustomerId, string Reason)>> ListUnmatchedAsync(CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<(string, string, string?, string)>();
        await foreach (var e in table.QueryAsync<TableEntity>($"PartitionKey eq '{Unmatched}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add((e.GetString("EventId") ?? string.Empty, e.GetString("EventType") ?? string.Empty, e.GetString("CustomerId"), e.GetString("Reason") ?? string.Empty));
        }

        return [.. rows.OrderBy(r => r.Item1, StringComparer.Ordinal)];
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.Value.GetAsync(cancellationToken);

    private static TableEntity ToEntity(BillingAccount a)
    {
        var entity = new TableEntity(a.KeyId, Row)
        {
            ["CustomerId"] = a.CustomerId,
            ["CreatedAt"] = a.CreatedAt,
            ["UpdatedAt"] = a.UpdatedAt,
            ["SubscriptionId"] = a.SubscriptionId,
            ["Status"] = a.Status,
            ["PriceId"] = a.PriceId,
            ["PricePlan"] = a.PricePlan,
            ["Plan"] = a.Plan,
            ["PastDueSince"] = a.PastDueSince,
            ["KeyNote"] = a.KeyNote,
            ["LastEventId"] = a.LastEventId,
            ["ConflictSubscriptionId"] = a.ConflictSubscriptionId,
            ["ConflictSince"] = a.ConflictSince,
            ["OpenSessionId"] = a.OpenSessionId,
        };
        foreach (var empty in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(empty);
        }

        return TableLimits.Checked(entity);
    }

    private static BillingAccount FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("CustomerId") ?? string.Empty,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("SubscriptionId"),
        e.GetString("Status"),
        e.GetString("PriceId"),
        e.GetString("PricePlan"),
        e.GetString("Plan") ?? ApiPlans.Free,
        e.GetDateTimeOffset("PastDueSince"),
        e.GetString("KeyNote"),
        e.GetString("LastEventId"),
        e.GetString("ConflictSubscriptionId"),
        e.GetDateTimeOffset("ConflictSince"),
        e.GetString("OpenSessionId"));
}
