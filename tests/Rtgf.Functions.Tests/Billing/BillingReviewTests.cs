using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Billing;
using Rtgf.StripeStandIn;
using Stripe;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>What review found in billing: stale states, second subscriptions, price changes, Stripe's client errors, orphaned customers.</summary>
public sealed class BillingReviewTests(BillingReviewFixture app) : IClassFixture<BillingReviewFixture>
{
    [Fact]
    public async Task AStaleFetch_NeverWinsOverAppliersThatFoundNothingToChange()
    {
        var (_, keyId, subscriptionId) = await app.PaidKeyAsync();
        var ledger = app.Services.GetRequiredService<SubscriptionLedger>();
        var account = await app.AccountAsync(keyId);
        SubscriptionState State(string status) => new(subscriptionId, account.CustomerId, status, BillingReviewFixture.StandardPrice);

        // A reads the account, then its look at Stripe is held; it saw past_due, Stripe has since said active again.
        var aFetching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aFetches = 0;
        var a = ledger.ApplyAsync(keyId, subscriptionId, async (_, _) =>
        {
            if (Interlocked.Increment(ref aFetches) == 1)
            {
                aFetching.SetResult();
                await aRelease.Task;
                return State("past_due");
            }

            return State("active");
        }, "evt_stale_a", CancellationToken.None);
        await aFetching.Task;

        // B and C read the account after A and find Stripe's active: nothing changes for them.
        await ledger.ApplyAsync(keyId, subscriptionId, (_, _) => Task.FromResult(State("active")), "evt_stale_b", CancellationToken.None);
        await ledger.ApplyAsync(keyId, subscriptionId, (_, _) => Task.FromResult(State("active")), "evt_stale_c", CancellationToken.None);
        aRelease.SetResult();
        await a;

        var after = await app.AccountAsync(keyId);
        Assert.Equal(2, aFetches); // A lost its swap and asked Stripe again
        Assert.Equal(("active", (DateTimeOffset?)null, "standard"), (after.Status, after.PastDueSince, after.Plan));
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
    }

    [Fact]
    public async Task Checkout_ForAKeyWithALiveSubscription_Is409_AndStartsNothing()
    {
        var (key, keyId, subscriptionId) = await app.PaidKeyAsync();
        // Had checkout asked Stripe for a session, it would have met this fault (a 503), not answered 409.
        await app.StandIn.Admin.AddFaultAsync("/v1/checkout/sessions", StripeFaultMode.ServerError, count: 0);

        using var again = await app.CheckoutAsync(key, "enterprise");
        var problem = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        await app.StandIn.Admin.ClearFaultsAsync();
        var account = await app.AccountAsync(keyId);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(ProblemTypes.SubscriptionExists, problem["type"]!.GetValue<string>());
        Assert.Equal(("active", subscriptionId), (account.Status, account.SubscriptionId));
    }

    [Fact]
    public async Task Checkout_AfterTheSubscriptionEnded_IsAllowedAgain()
    {
        var (key, _, subscriptionId) = await app.PaidKeyAsync();
        var before = await app.LastEventAsync();
        await app.StandIn.Admin.CancelAsync(subscriptionId);
        await app.DeliverEventsAsync(before);

        using var again = await app.CheckoutAsync(key, "enterprise");

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task ALegacyPrice_KeepsItsPlan_AndAnUnknownPriceKeepsThePlanWithAWarning()
    {
        var (_, keyId, subscriptionId) = await app.PaidKeyAsync();
        var before = await app.LastEventAsync();
        await app.StandIn.Admin.ChangePriceAsync(subscriptionId, BillingReviewFixture.LegacyStandardPrice);
        await app.DeliverEventsAsync(before);
        var onLegacy = await app.AccountAsync(keyId);
        var legacyPlan = await app.PlanOfKeyAsync(keyId);

        before = await app.LastEventAsync();
        await app.StandIn.Admin.ChangePriceAsync(subscriptionId, BillingReviewFixture.UnknownPrice);
        await app.DeliverEventsAsync(before);
        var onUnknown = await app.AccountAsync(keyId);

        Assert.Equal((BillingReviewFixture.LegacyStandardPrice, "standard", "standard"), (onLegacy.PriceId, onLegacy.PricePlan, onLegacy.Plan));
        Assert.Equal("standard", legacyPlan);
        Assert.Equal((BillingReviewFixture.UnknownPrice, "standard", "standard"), (onUnknown.PriceId, onUnknown.PricePlan, onUnknown.Plan));
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(BillingReviewFixture.UnknownPrice, StringComparison.Ordinal)
            && e.Message.Contains(keyId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIdempotencyKeyReusedForAnotherPlan_Is409()
    {
        var (key, _) = await app.CreateKeyAsync();

        using var first = await app.CheckoutAsync(key, "standard", idempotencyKey: "order-reused");
        using var other = await app.CheckoutAsync(key, "enterprise", idempotencyKey: "order-reused");
        var problem = (await other.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(ProblemTypes.IdempotencyKeyReused, problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task StripesRequestInProgress_Is503WithRetryAfter_AndTheRetrySucceeds()
    {
        var (key, _) = await app.CreateKeyAsync();
        await app.StandIn.Admin.AddFaultAsync("/v1/customers", StripeFaultMode.InProgress);

        using var busy = await app.CheckoutAsync(key, "standard");
        var problem = (await busy.Content.ReadFromJsonAsync<JsonObject>())!;
        using var retried = await app.CheckoutAsync(key, "standard");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal(ProblemTypes.BillingUnavailable, problem["type"]!.GetValue<string>());
        Assert.Equal("1", Assert.Single(busy.Headers.GetValues("Retry-After")));
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    [Fact]
    public async Task ACustomerStripeAlreadyHasForTheKey_IsReused_NotOrphaned()
    {
        var (key, keyId) = await app.CreateKeyAsync();
        // A checkout long ago created the customer, then its account row was lost; Stripe's idempotency window has passed.
        var stripe = new StripeClient(app.StandIn.SecretKey, apiBase: app.StandIn.ApiBase);
        var orphan = await new CustomerService(stripe).CreateAsync(new CustomerCreateOptions { Metadata = new() { [StripeWebhookHandler.KeyIdMetadata] = keyId } });

        using var checkout = await app.CheckoutAsync(key, "standard");
        var found = await new CustomerService(stripe).SearchAsync(new CustomerSearchOptions { Query = $"metadata['{StripeWebhookHandler.KeyIdMetadata}']:'{keyId}'" });

        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        Assert.Equal(orphan.Id, (await app.AccountAsync(keyId)).CustomerId);
        Assert.Equal(orphan.Id, Assert.Single(found.Data).Id);
    }

    [Fact]
    public async Task AKeyIdThatIsNoKeyId_IsRecordedUnmatched_NotUsedAsATableKey()
    {
        var stripe = new StripeClient(app.StandIn.SecretKey, apiBase: app.StandIn.ApiBase);
        var customer = await new CustomerService(stripe).CreateAsync(new CustomerCreateOptions { Email = "odd@example.org" });
        var metadata = new Dictionary<string, string> { [StripeWebhookHandler.KeyIdMetadata] = "odd/key#1?" };
        var session = await new Stripe.Checkout.SessionService(stripe).CreateAsync(new Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            ClientReferenceId = "odd/key#1?",
            LineItems = [new Stripe.Checkout.SessionLineItemOptions { Price = BillingReviewFixture.StandardPrice, Quantity = 1 }],
            SuccessUrl = "https://rtgf.test/billing/done",
            SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions { Metadata = metadata },
        });
        var before = await app.LastEventAsync();
        await app.StandIn.Admin.CompleteCheckoutSessionAsync(session.Id);

        await app.DeliverEventsAsync(before); // throws if any event's handling failed
        var unmatched = await app.Accounts.ListUnmatchedAsync(CancellationToken.None);

        Assert.Contains(unmatched, u => u.CustomerId == customer.Id && u.Reason.Contains("not an rtgf key id", StringComparison.Ordinal));
    }
}
