using Rtgf.Pipeline.Access;

namespace Rtgf.Pipeline.Billing;

/// <summary>
/// One API key's billing account (table <c>billingaccounts</c>, docs/spec/billing.md): its Stripe customer, the subscription
/// last applied and its status, the plan of its price, the plan the key is on because of it, and when it fell past due.
/// <see cref="KeyNote"/> records why the key's plan was left alone (<c>revoked</c>, <c>expired</c>, <c>missing</c>).
/// <see cref="ConflictSubscriptionId"/> is a second live subscription of the key (two checkouts both paid): the account
/// follows the better-paid one and names the other until it ends, for an operator to refund (runbook).
/// <see cref="OpenSessionId"/> is the key's last Checkout Session written by a checkout: whoever replaces it expires it
/// first, so only the last written can be paid.
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
    DateTimeOffset? ConflictSince = null,
    string? OpenSessionId = null);

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
    /// The account after applying <paramref name="state"/> at <paramref name="now"/>, where <paramref name="others"/> are
    /// the current states of the account's other subscriptions (the followed one and the recorded conflict, fetched
    /// whenever a conflict exists or would be recorded: see <see cref="NeedsOthers"/>). The account is a function of
    /// those states alone: the live subscription first in <see cref="Compare"/> is followed, the next live one is the
    /// conflict, so any order of events, and the followed one's own changes, give the same account.
    /// </summary>
    public BillingAccount Apply(BillingAccount account, SubscriptionState state, string? eventId, DateTimeOffset now, IReadOnlyCollection<SubscriptionState>? others = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(state);
        var candidates = new List<SubscriptionState> { state };
        candidates.AddRange((others ?? []).Where(o => o.SubscriptionId != state.SubscriptionId && o.CustomerId == state.CustomerId));
        var live = candidates.Where(c => IsLive(c.Status)).ToList();
        live.Sort((a, b) => Compare(b, a, account));
        // None live: the event's subscription is the account's news (a checkout started, or the last one ended).
        var followed = live.Count > 0 ? live[0] : state;
        var conflict = live.Count > 1 ? live[1].SubscriptionId : null;
        if (others is null && account.SubscriptionId is { } current && current != state.SubscriptionId && IsLive(account.Status) && !IsLive(state.Status))
        {
            // Another subscription that has ended does not replace the live one (a second checkout abandoned or cancelled).
            return account;
        }

        var pastDueSince = IsPastDue(followed.Status) ? account.SubscriptionId == followed.SubscriptionId && account.PastDueSince is { } since ? since : now : (DateTimeOffset?)null;
        var next = account with
        {
            SubscriptionId = followed.SubscriptionId,
            Status = followed.Status,
            PriceId = followed.PriceId,
            // A price we do not know (set in Stripe's dashboard, or a setting not yet deployed) keeps the plan: never a downgrade of a payer.
            PricePlan = IsUnknownPrice(followed) ? account.PricePlan : PlanOf(followed.PriceId),
            PastDueSince = pastDueSince,
            ConflictSubscriptionId = conflict,
            ConflictSince = conflict is null ? null : account.ConflictSince ?? now,
            LastEventId = eventId ?? account.LastEventId,
        };
        next = next with { Plan = PlanAt(next, now) };
        return Same(next, account) ? account : next with { UpdatedAt = now };
    }

    /// <summary>
    /// Whether applying <paramref name="state"/> needs the current states of the account's other subscriptions: a conflict
    /// is recorded, or the state is a second live subscription beside the account's live one (one would be recorded).
    /// </summary>
    public static bool NeedsOthers(BillingAccount account, SubscriptionState state)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(state);
        return account.ConflictSubscriptionId is not null
            || (account.SubscriptionId is { } current && current != state.SubscriptionId && IsLive(account.Status) && IsLive(state.Status));
    }

    /// <summary>
    /// The one total order of live subscriptions (greater is followed): standing (<c>active</c>/<c>trialing</c> above
    /// <c>past_due</c>/<c>unpaid</c>), then the bigger plan (monthly quota, then rate; a price we do not know ranks as the
    /// plan the account has from it), then the smaller subscription id.
    /// </summary>
    public int Compare(SubscriptionState x, SubscriptionState y, BillingAccount account)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var byStanding = Standing(x.Status).CompareTo(Standing(y.Status));
        if (byStanding != 0)
        {
            return byStanding;
        }

        var byPlan = Rank(PlanFor(x, account)).CompareTo(Rank(PlanFor(y, account)));
        return byPlan != 0 ? byPlan : string.CompareOrdinal(y.SubscriptionId, x.SubscriptionId);
    }

    private static int Standing(string? status) => status is "active" or "trialing" ? 2 : IsPastDue(status) ? 1 : 0;

    private string? PlanFor(SubscriptionState state, BillingAccount account) =>
        IsUnknownPrice(state) ? state.SubscriptionId == account.SubscriptionId ? account.PricePlan : null : PlanOf(state.PriceId);

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
