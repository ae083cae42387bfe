using Rtgf.Azure.Billing;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Billing;

namespace Rtgf.Functions.Billing;

/// <summary>
/// Applies Stripe's current subscription state to a billing account and the account's plan to its API key, both by
/// compare-and-swap (docs/spec/billing.md, convergence). The state is fetched between reading the account and writing it,
/// so when a write loses a race, Stripe is asked again: the last write is always from the newest look at Stripe.
/// The key then follows the account until they agree, so two appliers finishing in either order leave the key on the
/// account's plan. A revoked or expired key keeps its plan (billing never revives a key); the account records why.
/// </summary>
public sealed partial class SubscriptionLedger(TableBillingAccountStore accounts, IApiKeyStore keys, BillingSettings settings, TimeProvider time, ILogger<SubscriptionLedger> logger)
{
    public const string Actor = "billing";
    private const int MaxAttempts = 16;

    /// <summary>
    /// Applies the current state of subscription <paramref name="subscriptionId"/> (<paramref name="fetch"/> asks Stripe,
    /// again after a lost race) to the account of <paramref name="keyId"/>; null when the key has no account. When the
    /// account has a conflict or would get one, the account's other subscriptions are fetched too and the account is
    /// decided from all their states in the same compare-and-swap (never a stop on free between two writes).
    /// </summary>
    public async Task<BillingAccount?> ApplyAsync(string keyId, string subscriptionId, Func<string, CancellationToken, Task<SubscriptionState>> fetch, string? eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await accounts.GetAsync(keyId, cancellationToken).ConfigureAwait(false) is not { } read)
            {
                return null;
            }

            var state = await fetch(subscriptionId, cancellationToken).ConfigureAwait(false);
            if (state.CustomerId != read.Account.CustomerId)
            {
                LogCustomerMismatch(logger, keyId, state.SubscriptionId);
                return null;
            }

            var others = BillingRules.NeedsOthers(read.Account, state) ? await OthersAsync(read.Account, state.SubscriptionId, fetch, cancellationToken).ConfigureAwait(false) : null;

            // Always the conditional write, even when nothing changes: rewriting the same account moves its ETag, so an
            // applier that read before this one and fetched an older state loses its swap and asks Stripe again.
            var next = settings.Rules.Apply(read.Account, state, eventId, time.GetUtcNow(), others);
            if (await accounts.TryReplaceAsync(next, read.ETag, cancellationToken).ConfigureAwait(false))
            {
                if (settings.Rules.IsUnknownPrice(state))
                {
                    LogUnknownPrice(logger, keyId, state.SubscriptionId, state.PriceId ?? "(none)", next.Plan);
                }

                return await SyncKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"The billing account of key {keyId} kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// The grace timer's step for one account: downgrade when its grace has run out (idempotent). An account with a
    /// recorded conflict is decided again from both subscriptions' current states instead (<paramref name="fetch"/>), so a
    /// live conflict is followed rather than the key going to free.
    /// </summary>
    public async Task<BillingAccount?> ExpireAsync(string keyId, Func<string, CancellationToken, Task<SubscriptionState>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        var now = time.GetUtcNow();
        if (await accounts.GetAsync(keyId, cancellationToken).ConfigureAwait(false) is not { } read)
        {
            return null;
        }

        if (read.Account is { SubscriptionId: { } followed, ConflictSubscriptionId: not null } && settings.Rules.Expire(read.Account, now) != read.Account)
        {
            return await ApplyAsync(keyId, followed, fetch, eventId: null, cancellationToken).ConfigureAwait(false);
        }

        if (await accounts.UpdateAsync(keyId, account => settings.Rules.Expire(account, now), cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        return await SyncKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
    }

    // The account's followed subscription and its conflict, as Stripe has them now (not the one being applied).
    private static async Task<IReadOnlyCollection<SubscriptionState>> OthersAsync(BillingAccount account, string applying, Func<string, CancellationToken, Task<SubscriptionState>> fetch, CancellationToken cancellationToken)
    {
        var states = new List<SubscriptionState>();
        foreach (var id in new[] { account.SubscriptionId, account.ConflictSubscriptionId }.OfType<string>().Where(id => id != applying).Distinct(StringComparer.Ordinal))
        {
            states.Add(await fetch(id, cancellationToken).ConfigureAwait(false));
        }

        return states;
    }

    /// <summary>Puts the key on the account's plan, re-reading the account until the two agree (another applier may have moved it).</summary>
    public async Task<BillingAccount?> SyncKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await accounts.GetAsync(keyId, cancellationToken).ConfigureAwait(false) is not { } read)
            {
                return null;
            }

            var account = read.Account;
            var now = time.GetUtcNow();
            var key = await keys.GetAsync(keyId, cancellationToken).ConfigureAwait(false);
            var note = key is null ? "missing" : key.Record.IsRevoked ? "revoked" : key.Record.IsExpired(now) ? "expired" : null;
            if (note is null && key!.Record.Plan != account.Plan)
            {
                var changed = await keys.ChangePlanAsync(keyId, account.Plan, Actor, now, cancellationToken).ConfigureAwait(false);
                if (changed is not null && changed.Record.Plan == account.Plan)
                {
                    LogPlanChanged(logger, keyId, key.Record.Plan, account.Plan, account.Status ?? "-");
                }
                else
                {
                    note = changed is null ? "missing" : "revoked";
                }
            }

            if (note != account.KeyNote)
            {
                if (note is not null)
                {
                    LogKeyLeftAlone(logger, keyId, note, account.Plan);
                }

                if (!await accounts.TryReplaceAsync(account with { KeyNote = note }, read.ETag, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                return account with { KeyNote = note };
            }

            // Stable when the account has not moved since it was read: else the key may now be behind it, so go again.
            if (await accounts.GetAsync(keyId, cancellationToken).ConfigureAwait(false) is { } again && again.ETag == read.ETag)
            {
                return account;
            }
        }

        throw new InvalidOperationException($"The billing account of key {keyId} kept changing while its key followed it; gave up after {MaxAttempts} attempts.");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Billing moved API key {KeyId} from plan {From} to {To} (subscription status {Status})")]
    private static partial void LogPlanChanged(ILogger logger, string keyId, string from, string to, string status);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Billing left API key {KeyId} alone ({Note}); its account's plan is {Plan}")]
    private static partial void LogKeyLeftAlone(ILogger logger, string keyId, string note, string plan);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} of key {KeyId} is on price {PriceId}, which is in neither Billing:Prices nor Billing:LegacyPrices; the key keeps plan {Plan}")]
    private static partial void LogUnknownPrice(ILogger logger, string keyId, string subscriptionId, string priceId, string plan);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} belongs to another customer than the billing account of key {KeyId}; not applied")]
    private static partial void LogCustomerMismatch(ILogger logger, string keyId, string subscriptionId);
}
