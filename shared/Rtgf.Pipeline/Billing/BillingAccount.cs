using Rtgf.Pipeline.Access;

namespace Rtgf.Pipeline.Billing;

/// <summary>
/// One API key's billing account (table <c>billingaccounts</c>, docs/spec/billing.md): its Stripe customer, the subscription
/// last applied and its status, the plan of its price, the plan the key is on because of it, and when it fell past due.
/// <see cref="KeyNote"/> records why the key's plan was left alone (<c>revoked</c>, <c>expired</c>, <c>missing</c>).
/// <see cref="ConflictSubscriptionId"/> is a second live subscription of the key (two checkouts both paid): the account
/// follows the better-paid one and names the other until it ends, for an operator to refund (runbook).
/// </summary>
public sealed record BillingAccount(
    string KeyId,
    string CustomerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? SubscriptionId = null,
    string? Status = null,
    string? PriceId = null,
    string? PricePlan = null,
    string Plan = ApiPlans.Free,
    DateTimeOffset? PastDueSince = null,
    string? KeyNote = null,
    string? LastEventId = null,
    string? ConflictSubscriptionId = null,
    DateTimeOffset? ConflictSince = null);

/// <summary>What Stripe says about a subscription now (fetched, never an event's snapshot).</summary>
public sealed record SubscriptionState(string SubscriptionId, string CustomerId, string Status, string? PriceId);

/// <summary>
/// The subscription lifecycle as a function of Stripe's current state and the time (docs/spec/billing.md, the state table):
/// <c>active</c>/<c>trialing</c> → the price's plan; <c>past_due</c>/<c>unpaid</c> → the price's plan until
/// <c>PastDueSince</c> + grace, then <c>free</c>; anything else (<c>canceled</c>, <c>incomplete</c>,
/// <c>incomplete_expired</c>, <c>paused</c>) → <c>free</c>. Applying the same state twice gives the same account.
/// </summary>
public sealed class BillingRules(IReadOnlyDictionary<string, string> planOfPrice, TimeSpan grace, IReadOnlyDictionary<string, (long Quota, int Rate)>? planRank = null)
{
    public TimeSpan Grace => grace;

    /// <summary>The plan a price id buys, if it is one of <c>Billing:Prices</c> or <c>Billing:LegacyPrices</c>.</summary>
    public string? PlanOf(string? priceId) => priceId is not null && planOfPrice.TryGetValue(priceId, out var plan) ? plan : null;

    /// <summary>
    /// The account after applying <paramref name="state"/> at <paramref name="now"/>. A state of another subscription that
    /// has ended does not replace the account's live one (a second checkout abandoned or cancelled).
    /// </summary>
    public BillingAccount Apply(BillingAccount account, SubscriptionState state, string? eventId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(state);
        if (account.SubscriptionId is { } current && current != state.SubscriptionId && IsLive(account.Status))
        {
            if (!IsLive(state.Status))
            {
                // Another subscription that has ended does not replace the live one; if it was the recorded conflict, that is resolved.
                return account.ConflictSubscriptionId == state.SubscriptionId
                    ? account with { ConflictSubscriptionId = null, ConflictSince = null, LastEventId = eventId ?? account.LastEventId, UpdatedAt = now }
                    : account;
            }

            // Two live subscriptions on one key (two checkouts both paid): follow the better-paid, name the other.
            if (!Better(state, account))
            {
                return account.ConflictSubscriptionId == state.SubscriptionId
                    ? account
                    : account with { ConflictSubscriptionId = state.SubscriptionId, ConflictSince = now, LastEventId = eventId ?? account.LastEventId, UpdatedAt = now };
            }

            account = account with { ConflictSubscriptionId = current, ConflictSince = account.ConflictSince ?? now };
        }
        else if (account.ConflictSubscriptionId == state.SubscriptionId)
        {
            // The conflict's subscription takes over from one that ended: it is the account's one now.
            account = account with { ConflictSubscriptionId = null, ConflictSince = null };
        }

        var pastDueSince = IsPastDue(state.Status) ? account.SubscriptionId == state.SubscriptionId && account.PastDueSince is { } since ? since : now : (DateTimeOffset?)null;
        var next = account with
        {
            SubscriptionId = state.SubscriptionId,
            Status = state.Status,
            PriceId = state.PriceId,
            // A price we do not know (set in Stripe's dashboard, or a setting not yet deployed) keeps the plan: never a downgrade of a payer.
            PricePlan = IsUnknownPrice(state) ? account.PricePlan : PlanOf(state.PriceId),
            PastDueSince = pastDueSince,
            LastEventId = eventId ?? account.LastEventId,
        };
        next = next with { Plan = PlanAt(next, now) };
        return Same(next, account) ? account : next with { UpdatedAt = now };
    }

    /// <summary>
    /// Whether <paramref name="state"/> (live) pays better than the account's live subscription: the bigger plan (monthly
    /// quota, then rate), then the smaller subscription id, so either order of events keeps the same one.
    /// </summary>
    private bool Better(SubscriptionState state, BillingAccount account)
    {
        var theirs = Rank(IsUnknownPrice(state) ? null : PlanOf(state.PriceId));
        var ours = Rank(account.PricePlan);
        var byPlan = theirs.CompareTo(ours);
        return byPlan != 0 ? byPlan > 0 : string.CompareOrdinal(state.SubscriptionId, account.SubscriptionId) < 0;
    }

    private (long, int) Rank(string? plan) => plan is not null && planRank is not null && planRank.TryGetValue(plan, out var rank) ? rank : (0, 0);

    /// <summary>The account as the grace timer leaves it at <paramref name="now"/> (unchanged unless its grace ran out).</summary>
    public BillingAccount Expire(BillingAccount account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        var plan = PlanAt(account, now);
        return plan == account.Plan ? account : account with { Plan = plan, UpdatedAt = now };
    }

    /// <summary>The plan the key should be on.</summary>
    public string PlanAt(BillingAccount account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Status switch
        {
            "active" or "trialing" => account.PricePlan ?? ApiPlans.Free,
            "past_due" or "unpaid" when account.PastDueSince is { } since && now < since + grace => account.PricePlan ?? ApiPlans.Free,
            _ => ApiPlans.Free,
        };
    }

    public static bool IsPastDue(string? status) => status is "past_due" or "unpaid";

    /// <summary>A subscription that bills or may still bill: one per key (a checkout is refused while there is one).</summary>
    public static bool IsLive(string? status) => status is "active" or "trialing" or "past_due" or "unpaid";

    /// <summary>A live subscription whose price is none of ours (<c>Billing:Prices</c> or <c>Billing:LegacyPrices</c>): its plan is kept.</summary>
    public bool IsUnknownPrice(SubscriptionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return IsLive(state.Status) && PlanOf(state.PriceId) is null;
    }

    // Everything but the bookkeeping: a duplicate event changes nothing (not even UpdatedAt or LastEventId).
    private static bool Same(BillingAccount a, BillingAccount b) =>
        a.SubscriptionId == b.SubscriptionId && a.Status == b.Status && a.PriceId == b.PriceId && a.PricePlan == b.PricePlan
        && a.Plan == b.Plan && a.PastDueSince == b.PastDueSince && a.ConflictSubscriptionId == b.ConflictSubscriptionId;
}
