using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Http;
using Rtgf.StripeStandIn;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>
/// Two checkouts of one key (docs/spec/billing.md, one key, one subscription): only the newest session can be paid, a
/// session paid before its webhook makes the next checkout a 409, and two subscriptions that are paid anyway are recorded
/// on the account as a conflict for an operator, the key following the better-paid one whatever the order of events.
/// Also the success and cancel pages Stripe sends the buyer to.
/// </summary>
public sealed class BillingRaceTests(BillingFixture app) : IClassFixture<BillingFixture>
{
    [Fact]
    public async Task CheckoutsAtOnce_LeaveOnlyTheLastRecordedSessionPayable_TheOthersExpireWithTheirEvents()
    {
        var (key, keyId) = await app.CreateKeyAsync();
        using var first = await app.CheckoutAsync(key, new { plan = "standard" }); // makes the customer and account
        var mark = await app.MarkAsync();

        var racing = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => app.CheckoutAsync(key, new { plan = "standard" })));
        var account = await app.AccountAsync(keyId);
        var sessions = (await new SessionService(app.StripeClient).ListAsync(new SessionListOptions { Customer = account.CustomerId, Limit = 100 })).Data;
        var expiredEvents = (await app.EventsAfterAsync(mark)).Where(e => e.Type == "checkout.session.expired").Select(e => e.Object["id"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        var open = Assert.Single(sessions, s => s.Status == "open");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => app.Stripe.CompleteCheckoutSessionAsync(sessions.First(s => s.Status == "expired").Id));

        Assert.All(racing, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(4, sessions.Count);
        Assert.Equal(account.OpenSessionId, open.Id); // the survivor is the account's, not the biggest id or the newest by Stripe's clock
        Assert.Equal(sessions.Where(s => s.Status == "expired").Select(s => s.Id).Order(StringComparer.Ordinal), expiredEvents);
        Assert.Contains("is expired, not open", refused.Message, StringComparison.Ordinal);
        foreach (var response in racing)
        {
            response.Dispose();
        }
    }

    /// <summary>
    /// Checkouts one after another within one second of Stripe's clock: the stand-in's session ids do not count up, so
    /// a guard that took the bigger id (or <c>created</c>) for the newer session leaves two payable here.
    /// </summary>
    [Fact]
    public async Task CheckoutsInOneSecond_EachExpiresTheOneBefore_WhateverTheIds()
    {
        var (key, keyId) = await app.CreateKeyAsync();
        var answered = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var checkout = await app.CheckoutAsync(key, new { plan = "standard" });
            Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
            answered.Add((await checkout.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        }

        var sessions = (await new SessionService(app.StripeClient).ListAsync(new SessionListOptions { Customer = (await app.AccountAsync(keyId)).CustomerId, Limit = 100 })).Data;

        Assert.NotEqual(answered.Order(StringComparer.Ordinal), answered); // else this test proves nothing
        Assert.Equal(answered[^1], Assert.Single(sessions, s => s.Status == "open").Id);
        Assert.Equal(answered[^1], (await app.AccountAsync(keyId)).OpenSessionId);
    }

    /// <summary>The session a checkout replaces was paid meanwhile (its webhook not yet applied): 409, and ours is expired.</summary>
    [Fact]
    public async Task TheReplacedSession_PaidMeanwhile_MakesTheCheckoutA409()
    {
        var (key, keyId) = await app.CreateKeyAsync();
        using var first = await app.CheckoutAsync(key, new { plan = "standard" });
        var paid = (await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var second = await app.CheckoutAsync(key, new { plan = "standard" }); // expires the first
        var replaced = (await second.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await app.Stripe.CompleteCheckoutSessionAsync(replaced);

        using var third = await app.CheckoutAsync(key, new { plan = "enterprise" });
        using var fourth = await app.CheckoutAsync(key, new { plan = "enterprise" });
        var sessions = (await new SessionService(app.StripeClient).ListAsync(new SessionListOptions { Customer = (await app.AccountAsync(keyId)).CustomerId, Limit = 100 })).Data;

        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, fourth.StatusCode); // the listing finds it when it is no longer the recorded one
        Assert.Equal(["complete"], sessions.Where(s => s.Status != "expired").Select(s => s.Status));
        Assert.Equal(replaced, Assert.Single(sessions, s => s.Status == "complete").Id);
        Assert.Equal("expired", sessions.Single(s => s.Id == paid).Status);
    }

    /// <summary>Once a paid session is found the answer is 409 even when Stripe will not expire the session just made.</summary>
    [Fact]
    public async Task APaidSessionFound_Is409_EvenWhenOursCannotBeExpired()
    {
        var (key, keyId) = await app.CreateKeyAsync();
        await app.Stripe.AddFaultAsync("/v1/checkout/sessions", StripeFaultMode.ServerError, count: 0);
        using (var failed = await app.CheckoutAsync(key, new { plan = "standard" })) // the account is made, no session
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        await app.Stripe.ClearFaultsAsync();
        var paidSubscription = await PaidSubscriptionAsync((await app.AccountAsync(keyId)).CustomerId, keyId, "standard"); // its webhook not yet here
        await app.Stripe.AddFaultAsync("/v1/checkout/sessions/cs_", StripeFaultMode.ServerError, count: 0); // no session can be expired
        HttpResponseMessage second;
        try
        {
            second = await app.CheckoutAsync(key, new { plan = "enterprise" });
        }
        finally
        {
            await app.Stripe.ClearFaultsAsync();
        }

        using (second)
        {
            var problem = (await second.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Equal(ProblemTypes.SubscriptionExists, problem["type"]!.GetValue<string>());
            Assert.Contains(paidSubscription, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(keyId, StringComparison.Ordinal) && e.Message.Contains("never answered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASessionPaidBeforeItsWebhook_MakesTheNextCheckoutA409_AndExpiresTheSessionItMade()
    {
        var (key, keyId) = await app.CreateKeyAsync();
        using var first = await app.CheckoutAsync(key, new { plan = "standard" });
        var paid = (await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await app.Stripe.CompleteCheckoutSessionAsync(paid); // no event delivered yet: the account still says nothing

        using var second = await app.CheckoutAsync(key, new { plan = "enterprise" });
        var problem = (await second.Content.ReadFromJsonAsync<JsonObject>())!;
        var sessions = (await new SessionService(app.StripeClient).ListAsync(new SessionListOptions { Customer = (await app.AccountAsync(keyId)).CustomerId })).Data;

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(ProblemTypes.SubscriptionExists, problem["type"]!.GetValue<string>());
        Assert.Null((await app.AccountAsync(keyId)).SubscriptionId);
        Assert.Equal(["complete", "expired"], sessions.OrderBy(s => s.Status, StringComparer.Ordinal).Select(s => s.Status));
        Assert.Equal(paid, sessions.Single(s => s.Status == "complete").Id);
    }

    [Fact]
    public async Task ExpiringAPaidSession_IsStripesError_AtTheStandIn()
    {
        var (key, _) = await app.CreateKeyAsync();
        using var checkout = await app.CheckoutAsync(key, new { plan = "standard" });
        var id = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await app.Stripe.CompleteCheckoutSessionAsync(id);

        var error = await Assert.ThrowsAsync<StripeException>(() => new SessionService(app.StripeClient).ExpireAsync(id));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request_error"), (error.HttpStatusCode, error.StripeError.Type));
        Assert.Equal("Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of `complete`.", error.StripeError.Message);
    }

    /// <summary>
    /// Two subscriptions paid for one key anyway (made straight at Stripe, as a race the checkout could not see would):
    /// delivered twice in a shuffle, the account follows the better-paid (or, between equals, the same one either way) and
    /// names the other; when the operator cancels one, the key follows the one left and the conflict is gone.
    /// </summary>
    [Theory]
    [InlineData("standard", "enterprise", 21, false)]
    [InlineData("enterprise", "standard", 22, false)]
    [InlineData("standard", "enterprise", 23, true)]
    [InlineData("standard", "standard", 24, false)]
    [InlineData("standard", "standard", 25, true)]
    public async Task TwoPaidSubscriptions_AreRecordedAsAConflict_TheBetterPaidIsFollowed_InAnyOrder(string firstPlan, string secondPlan, ulong seed, bool cancelTheFollowed)
    {
        var (key, keyId) = await app.CreateKeyAsync();
        using (var checkout = await app.CheckoutAsync(key, new { plan = firstPlan }))
        {
            checkout.EnsureSuccessStatusCode();
        }

        var customer = (await app.AccountAsync(keyId)).CustomerId;
        var mark = await app.MarkAsync();
        var a = await PaidSubscriptionAsync(customer, keyId, firstPlan);
        var b = await PaidSubscriptionAsync(customer, keyId, secondPlan);
        await app.DeliverAsync(BillingFixture.Shuffled((await app.EventsAfterAsync(mark)).Select(e => e.Id), seed));

        var expectedFollowed = firstPlan == secondPlan ? new[] { a, b }.Min(StringComparer.Ordinal)! : secondPlan == "enterprise" ? b : a;
        var extra = expectedFollowed == a ? b : a;
        var account = await OpsAccountAsync(keyId);
        Assert.Equal((expectedFollowed, extra, "active"), (account["subscriptionId"]!.GetValue<string>(), account["conflictSubscriptionId"]!.GetValue<string>(), account["status"]!.GetValue<string>()));
        Assert.NotNull(account["conflictSince"]);
        var followedPlan = expectedFollowed == a ? firstPlan : secondPlan;
        Assert.Equal(followedPlan, await app.PlanOfKeyAsync(keyId));
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(keyId, StringComparison.Ordinal) && e.Message.Contains(extra, StringComparison.Ordinal));

        // The operator cancels one (the runbook says the extra; cancelling the followed one must not leave the key on free).
        var cancelled = cancelTheFollowed ? expectedFollowed : extra;
        var left = cancelled == a ? b : a;
        mark = await app.MarkAsync();
        await app.Stripe.CancelAsync(cancelled);
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));

        var after = await app.AccountAsync(keyId);
        Assert.Equal((left, "active", (string?)null), (after.SubscriptionId, after.Status, after.ConflictSubscriptionId));
        Assert.Equal(left == a ? firstPlan : secondPlan, await app.PlanOfKeyAsync(keyId));
    }

    [Fact]
    public async Task TheOpsRead_RefusesANonKeyId_AndSays404ForAKeyWithoutAccount()
    {
        var (_, keyId) = await app.CreateKeyAsync();
        using var client = app.CreateClient();

        using var bad = await client.GetAsync("/ops/billing/accounts/not%20a%20key");
        using var none = await client.GetAsync($"/ops/billing/accounts/{keyId}");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(ProblemTypes.InvalidRequest, (await bad.Content.ReadFromJsonAsync<JsonObject>())!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheSuccessPage_ShowsWhatStripeSaysOfTheSession_AsHtml_AndRefusesABadId()
    {
        var (key, _) = await app.CreateKeyAsync();
        using var checkout = await app.CheckoutAsync(key, new { plan = "enterprise" });
        var id = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var client = app.CreateClient();

        var beforePaying = await client.GetStringAsync($"/v1/billing/success?session_id={id}");
        await app.Stripe.CompleteCheckoutSessionAsync(id);
        var cachedPage = await client.GetStringAsync($"/v1/billing/success?session_id={id}");
        app.Clock.Advance(SessionPageCache.Lifetime);
        using var paid = await client.GetAsync($"/v1/billing/success?session_id={id}");
        var paidPage = await paid.Content.ReadAsStringAsync();
        using var bad = await client.GetAsync("/v1/billing/success?session_id=%3Cscript%3E");
        using var missing = await client.GetAsync("/v1/billing/success?session_id=cs_test_nosuchsession");
        using var cancel = await client.GetAsync("/v1/billing/cancel");

        Assert.Contains("Checkout not finished", beforePaying, StringComparison.Ordinal);
        Assert.Contains("Checkout not finished", cachedPage, StringComparison.Ordinal); // a few seconds' answer, not a Stripe read each
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("text/html", paid.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", paid.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("Payment received", paidPage, StringComparison.Ordinal);
        Assert.Contains("enterprise plan", paidPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Contains("Nothing was charged", await cancel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The success page answers only for sessions RTGF's checkouts made: an id Stripe has but RTGF did not make (or any
    /// made-up id) is a 404 without a request to Stripe.
    /// </summary>
    [Fact]
    public async Task TheSuccessPage_Is404WithoutAskingStripe_ForASessionRtgfDidNotMake()
    {
        var foreign = await new SessionService(app.StripeClient).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            SuccessUrl = "https://rtgf.test/billing/done",
            LineItems = [new SessionLineItemOptions { Price = BillingFixture.StandardPrice, Quantity = 1 }],
        });
        using var client = app.CreateClient();
        var before = await app.StripeRequestCountAsync();

        using var notOurs = await client.GetAsync($"/v1/billing/success?session_id={foreign.Id}");
        using var madeUp = await client.GetAsync("/v1/billing/success?session_id=cs_test_madeup");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (notOurs.StatusCode, madeUp.StatusCode));
        Assert.Equal("application/problem+json", notOurs.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await app.StripeRequestCountAsync());
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

    private async Task<JsonObject> OpsAccountAsync(string keyId)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync($"/ops/billing/accounts/{keyId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
