using Rtgf.Functions.Billing;
using Rtgf.Functions.Workers;
using Stripe.Checkout;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>
/// Two live subscriptions on one key (docs/spec/billing.md, two checkouts): the account is decided from both
/// subscriptions' current states by one order (standing, then plan, then id), whatever event arrives and in whichever
/// order; a past-due one never takes over from an active one, and the grace timer follows a live conflict instead of
/// moving the key to free.
/// </summary>
public sealed class BillingConflictTests(BillingFixture app) : IClassFixture<BillingFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ADowngradeOfTheFollowed_IsRankedAgainstTheConflict_InEitherOrderOfEvents(bool conflictEventFirst)
    {
        var (keyId, customer) = await KeyWithAccountAsync();
        var mark = await app.MarkAsync();
        var standard = await PaidSubscriptionAsync(customer, keyId, "standard"); // the smaller id
        var enterprise = await PaidSubscriptionAsync(customer, keyId, "enterprise");
        var made = await app.EventsAfterAsync(mark);
        await app.DeliverAsync(made.Select(e => e.Id));
        var before = await app.AccountAsync(keyId);

        // The customer moves the followed subscription to standard: the two are equal now, and the smaller id wins.
        mark = await app.MarkAsync();
        await app.Stripe.ChangePriceAsync(enterprise, BillingFixture.StandardPrice);
        var changed = (await app.EventsAfterAsync(mark)).Select(e => e.Id).ToList();
        var conflictEvent = made.First(e => e.Type == "customer.subscription.created" && e.Object["id"]!.GetValue<string>() == standard).Id;
        if (conflictEventFirst)
        {
            await app.HandleAsync(conflictEvent);
        }

        await app.DeliverAsync(changed);
        if (!conflictEventFirst)
        {
            await app.HandleAsync(conflictEvent);
        }

        var after = await app.AccountAsync(keyId);
        Assert.Equal((enterprise, standard), (before.SubscriptionId, before.ConflictSubscriptionId));
        Assert.Equal((standard, enterprise, "active", "standard"), (after.SubscriptionId, after.ConflictSubscriptionId, after.Status, after.Plan));
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
    }

    [Fact]
    public async Task APastDueSubscription_NeverTakesOverFromAnActiveOne_AndGraceLeavesTheKeyOnTheActivePlan()
    {
        var (keyId, customer) = await KeyWithAccountAsync();
        var mark = await app.MarkAsync();
        var standard = await PaidSubscriptionAsync(customer, keyId, "standard");
        var enterprise = await PaidSubscriptionAsync(customer, keyId, "enterprise");
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));

        // The followed (better-paid) one falls past due while the other is active: the active one is followed.
        mark = await app.MarkAsync();
        await app.Stripe.FailNextPaymentAsync(enterprise);
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));
        var pastDue = await app.AccountAsync(keyId);
        app.Clock.Advance(TimeSpan.FromDays(8));
        var downgraded = await ActivatorUtilities.CreateInstance<BillingGraceFunction>(app.Services).RunAsync(CancellationToken.None);
        var afterGrace = await app.AccountAsync(keyId);

        Assert.Equal((standard, enterprise, "active", "standard"), (pastDue.SubscriptionId, pastDue.ConflictSubscriptionId, pastDue.Status, pastDue.Plan));
        Assert.Equal(0, downgraded);
        Assert.Equal((standard, "standard"), (afterGrace.SubscriptionId, afterGrace.Plan));
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
    }

    [Fact]
    public async Task TheGraceTimer_FollowsALiveConflict_InsteadOfMovingTheKeyToFree()
    {
        var (keyId, customer) = await KeyWithAccountAsync();
        var mark = await app.MarkAsync();
        var standard = await PaidSubscriptionAsync(customer, keyId, "standard");
        var enterprise = await PaidSubscriptionAsync(customer, keyId, "enterprise");
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));

        // As a lost event or an earlier version would leave it: the followed one past due, the active one only named.
        await app.Stripe.FailNextPaymentAsync(enterprise); // its events never delivered
        var read = (await app.Accounts.GetAsync(keyId, CancellationToken.None))!.Value;
        var stale = read.Account with { SubscriptionId = enterprise, Status = "past_due", PriceId = BillingFixture.EnterprisePrice, PricePlan = "enterprise", Plan = "enterprise", PastDueSince = app.Clock.GetUtcNow(), ConflictSubscriptionId = standard };
        Assert.True(await app.Accounts.TryReplaceAsync(stale, read.ETag, CancellationToken.None));
        app.Clock.Advance(TimeSpan.FromDays(8));
        await ActivatorUtilities.CreateInstance<BillingGraceFunction>(app.Services).RunAsync(CancellationToken.None);

        var after = await app.AccountAsync(keyId);
        Assert.Equal((standard, enterprise, "active", "standard"), (after.SubscriptionId, after.ConflictSubscriptionId, after.Status, after.Plan));
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
    }

    private async Task<(string KeyId, string Customer)> KeyWithAccountAsync()
    {
        var (key, keyId) = await app.CreateKeyAsync();
        using (var checkout = await app.CheckoutAsync(key, new { plan = "standard" }))
        {
            checkout.EnsureSuccessStatusCode();
        }

        return (keyId, (await app.AccountAsync(keyId)).CustomerId);
    }

    /// <summary>A subscription for the key on the plan, paid through a session made straight at Stripe (no checkout guard).</summary>
    private async Task<string> PaidSubscriptionAsync(string customer, string keyId, string plan)
    {
        var metadata = new Dictionary<string, string> { [StripeWebhookHandler.KeyIdMetadata] = keyId, [StripeWebhookHandler.PlanMetadata] = plan };
        var session = await new SessionService(app.StripeClient).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer,
            ClientReferenceId = keyId,
            SuccessUrl = "https://rtgf.test/billing/done",
            LineItems = [new SessionLineItemOptions { Price = plan == "enterprise" ? BillingFixture.EnterprisePrice : BillingFixture.StandardPrice, Quantity = 1 }],
            Metadata = metadata,
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = metadata },
        });
        await app.Stripe.CompleteCheckoutSessionAsync(session.Id);
        return (await new SessionService(app.StripeClient).GetAsync(session.Id)).SubscriptionId;
    }
}
