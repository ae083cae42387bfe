using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Functions.Workers;
using Rtgf.Pipeline.Webhooks;
using Rtgf.StripeStandIn;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>
/// Checkout and the subscription lifecycle on the real app (Azurite, the real Stripe.net client) against the Stripe
/// stand-in: its events, signed with its secret, go through the app's <c>POST /hooks/stripe</c> and the <c>webhooks</c>
/// queue function to billing's handler, which reads Stripe's current state from the stand-in.
/// </summary>
public sealed class BillingTests(BillingFixture app) : IClassFixture<BillingFixture>
{
    [Fact]
    public async Task Checkout_WithoutAKey_Is401FromTheHandler_WhichSeesNoCaller()
    {
        using var response = await app.CheckoutAsync(null, new { plan = "standard" });
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("urn:rtgf:problem:unauthorized", problem["type"]!.GetValue<string>());

        // The access middleware lets anonymous callers into /v1 and hands the function no ApiCaller: the refusal is checkout's own.
        Assert.StartsWith("Checkout is for an API key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkout_WithABadKey_IsRefusedByTheMiddleware_BeforeTheHandler()
    {
        using var response = await app.CheckoutAsync("rtgf_notakey", new { plan = "standard" });
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Checkout", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("free")]
    [InlineData("platinum")]
    [InlineData("")]
    public async Task Checkout_OfAPlanNotOnSale_Is400AndCallsNoStripe(string plan)
    {
        var (key, _) = await app.CreateKeyAsync();
        var before = await app.StripeRequestCountAsync();

        using var response = await app.CheckoutAsync(key, new { plan });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await app.StripeRequestCountAsync());
    }

    [Fact]
    public async Task Checkout_CreatesTheCustomerOnce_ASecondCheckoutReusesIt()
    {
        var (key, id) = await app.CreateKeyAsync();
        var before = (await app.Stripe.RequestsAsync()).Count;

        using var first = await app.CheckoutAsync(key, new { plan = "standard" });
        using var second = await app.CheckoutAsync(key, new { plan = "enterprise" });
        var calls = (await app.Stripe.RequestsAsync()).Skip(before).Select(r => r.Method + " " + r.Path).ToList();
        var sessions = new List<Session>();
        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var view = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.StartsWith(app.StandIn.ApiBase, view["url"]!.GetValue<string>(), StringComparison.Ordinal);
            sessions.Add(await new SessionService(app.StripeClient).GetAsync(view["id"]!.GetValue<string>()));
        }

        // The first looks for a customer made for this key before (none), then makes one; the second finds it on the account
        // row; the second expires the session the first recorded on the account (one payable checkout per key), and each
        // reads the customer's paid sessions (one paid before its webhook would make it a 409).
        Assert.Equal(
            [
                "GET /v1/customers/search", "POST /v1/customers", "POST /v1/checkout/sessions", "GET /v1/checkout/sessions",
                "POST /v1/checkout/sessions", $"POST /v1/checkout/sessions/{sessions[0].Id}/expire", "GET /v1/checkout/sessions",
            ],
            calls);
        Assert.Equal(["expired", "open"], sessions.Select(s => s.Status));
        Assert.Equal(sessions[0].CustomerId, sessions[1].CustomerId);
        Assert.Equal((await app.AccountAsync(id)).CustomerId, sessions[0].CustomerId);
        Assert.All(sessions, s => Assert.Equal((id, "subscription"), (s.ClientReferenceId, s.Mode)));
    }

    [Fact]
    public async Task Checkout_WithTheSameIdempotencyKey_GivesTheSameSession()
    {
        var (key, _) = await app.CreateKeyAsync();

        using var first = await app.CheckoutAsync(key, new { plan = "standard" }, idempotencyKey: "order-17");
        using var again = await app.CheckoutAsync(key, new { plan = "standard" }, idempotencyKey: "order-17");
        using var other = await app.CheckoutAsync(key, new { plan = "standard" }, idempotencyKey: "order-18");

        var ids = new List<string>();
        foreach (var response in new[] { first, again, other })
        {
            ids.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        }

        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[0], ids[2]);
    }

    /// <summary>
    /// The main lifecycle, end to end: checkout (Stripe rate limits the first try), payment, a failed payment and its
    /// grace, the timer's downgrade, recovery and cancellation, each step's events delivered through the bus twice in a
    /// seeded shuffle; every event is recorded applied once; a forged delivery is refused and changes nothing.
    /// </summary>
    [Fact]
    public async Task TheWholeLifecycle_ThroughTheBus_MovesTheKeysPlan_AndEveryEventIsAppliedOnce()
    {
        var (key, keyId) = await app.CreateKeyAsync();
        var mark = await app.MarkAsync();
        var delivered = new List<string>();
        async Task<string> StepAsync(ulong seed)
        {
            var events = await app.EventsAfterAsync(mark);
            var ids = events.Select(e => e.Id).ToList();
            var duplicates = await app.DeliverAsync(BillingFixture.Shuffled(ids, seed));
            Assert.Equal(ids.Count, duplicates.Count(d => !d)); // each event's first delivery is new, its second a duplicate
            delivered.AddRange(ids);
            mark = ids.Count == 0 ? mark : ids[^1];
            return await app.PlanOfKeyAsync(keyId);
        }

        await app.Stripe.AddFaultAsync("/v1/checkout/sessions", StripeFaultMode.RateLimit);
        using var checkout = await app.CheckoutAsync(key, new { plan = "standard" });
        var sessionId = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await app.Stripe.CompleteCheckoutSessionAsync(sessionId);
        var completedTypes = (await app.EventsAfterAsync(mark)).Select(e => e.Type).ToList();
        var subscription = (await new SessionService(app.StripeClient).GetAsync(sessionId)).SubscriptionId;
        var paid = await StepAsync(seed: 7);
        var paidAccount = await app.AccountAsync(keyId);

        await app.Stripe.FailNextPaymentAsync(subscription);
        var inGrace = await StepAsync(seed: 8);
        app.Clock.Advance(TimeSpan.FromDays(8));
        await ActivatorUtilities.CreateInstance<BillingGraceFunction>(app.Services).RunAsync(CancellationToken.None);
        var afterGrace = await app.PlanOfKeyAsync(keyId);

        await app.Stripe.RecoverAsync(subscription);
        var recovered = await StepAsync(seed: 9);

        // A forged cancellation (signed with another secret) is refused at the door: nothing stored, nothing applied.
        var forgedBody = Encoding.UTF8.GetBytes(
            (await app.Stripe.DeliveryAsync(mark!)).Body.Replace(mark!, "evt_forged_cancel", StringComparison.Ordinal).Replace("\"active\"", "\"canceled\"", StringComparison.Ordinal));
        using var client = app.CreateClient();
        using var forgery = app.StripeDelivery(forgedBody, secret: "whsec_not_the_stand_ins");
        using var forged = await client.SendAsync(forgery);
        await app.DrainAsync();
        var afterForgery = await app.PlanOfKeyAsync(keyId);

        await app.Stripe.CancelAsync(subscription);
        var canceled = await StepAsync(seed: 10);

        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        Assert.Equal(["checkout.session.completed", "customer.subscription.created", "invoice.paid"], completedTypes.Where(t => t != "customer.created"));
        Assert.Equal(("active", "standard", subscription, BillingFixture.StandardPrice), (paidAccount.Status, paidAccount.Plan, paidAccount.SubscriptionId, paidAccount.PriceId));
        Assert.Equal(("standard", "standard", "free", "standard"), (paid, inGrace, afterGrace, recovered));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(await app.RecordAsync("evt_forged_cancel"));
        Assert.Equal("standard", afterForgery);
        Assert.Equal("free", canceled);
        Assert.Equal("canceled", (await app.AccountAsync(keyId)).Status);
        foreach (var id in delivered)
        {
            var record = (await app.RecordAsync(id))!;
            Assert.True((record.State, record.Tries, record.LastError) == (WebhookStates.Applied, 1, null), $"{id} ({record.EventType}): {record.State}, {record.Tries} tries, {record.LastError}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task DuplicatesAndShuffledOrders_ThroughTheBus_ConvergeOnStripesState(ulong seed)
    {
        var (keyId, subscription, mark) = await app.PaidKeyAsync();
        await app.Stripe.FailNextPaymentAsync(subscription);
        await app.Stripe.CancelAsync(subscription);
        var ids = (await app.EventsAfterAsync(mark)).Select(e => e.Id).ToList();

        await app.DeliverAsync(BillingFixture.Shuffled(ids, seed));

        var account = await app.AccountAsync(keyId);
        Assert.Equal(("canceled", "free", (DateTimeOffset?)null, subscription), (account.Status, account.Plan, account.PastDueSince, account.SubscriptionId));
        Assert.Equal("free", await app.PlanOfKeyAsync(keyId));
        foreach (var id in ids)
        {
            Assert.Equal(WebhookStates.Applied, (await app.RecordAsync(id))!.State);
        }
    }

    [Fact]
    public async Task PaymentFailed_KeepsThePlanThroughGrace_TheTimerDowngrades_PaymentUpgradesAgain()
    {
        var (keyId, subscription, mark) = await app.PaidKeyAsync();
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));
        var grace = ActivatorUtilities.CreateInstance<BillingGraceFunction>(app.Services);

        mark = await app.MarkAsync();
        await app.Stripe.FailNextPaymentAsync(subscription);
        var failedAt = app.Clock.GetUtcNow();
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));
        var inGrace = (await app.AccountAsync(keyId), await app.PlanOfKeyAsync(keyId));
        app.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var downgradedEarly = await grace.RunAsync(CancellationToken.None);
        var planBeforeGraceEnds = await app.PlanOfKeyAsync(keyId);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var downgraded = await grace.RunAsync(CancellationToken.None);
        var planAfterGrace = await app.PlanOfKeyAsync(keyId);
        var downgradedAgain = await grace.RunAsync(CancellationToken.None);
        mark = await app.MarkAsync();
        await app.Stripe.RecoverAsync(subscription);
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));

        Assert.Equal(("past_due", "standard", (DateTimeOffset?)failedAt), (inGrace.Item1.Status, inGrace.Item1.Plan, inGrace.Item1.PastDueSince));
        Assert.Equal("standard", inGrace.Item2);
        Assert.Equal(0, downgradedEarly);
        Assert.Equal("standard", planBeforeGraceEnds);
        Assert.True(downgraded >= 1);
        Assert.Equal("free", planAfterGrace);
        Assert.Equal(0, downgradedAgain);
        var recovered = await app.AccountAsync(keyId);
        Assert.Equal(("active", "standard", (DateTimeOffset?)null), (recovered.Status, recovered.Plan, recovered.PastDueSince));
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
    }

    [Fact]
    public async Task ARevokedKey_IsNotRevived_AndTheAccountSaysWhy()
    {
        var (keyId, _, mark) = await app.PaidKeyAsync();
        using (var client = app.CreateClient())
        {
            using var revoked = await client.PostAsJsonAsync($"/ops/api-keys/{keyId}/revoke", new { reason = "abuse" });
            revoked.EnsureSuccessStatusCode();
        }

        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));

        Assert.Equal("free", await app.PlanOfKeyAsync(keyId));
        var account = await app.AccountAsync(keyId);
        Assert.Equal(("active", "standard", "revoked"), (account.Status, account.Plan, account.KeyNote));
    }

    [Fact]
    public async Task AnEventForAnUnknownCustomer_IsRecordedUnmatched_AndNotRetried()
    {
        // A subscription made outside RTGF: a customer and checkout straight at Stripe, with no rtgf_key_id anywhere.
        var customer = await new CustomerService(app.StripeClient).CreateAsync(new CustomerCreateOptions { Email = "elsewhere@example.org" });
        var mark = await app.MarkAsync();
        var session = await new SessionService(app.StripeClient).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            SuccessUrl = "https://elsewhere.example/done",
            LineItems = [new SessionLineItemOptions { Price = BillingFixture.StandardPrice, Quantity = 1 }],
        });
        await app.Stripe.CompleteCheckoutSessionAsync(session.Id);
        var created = (await app.EventsAfterAsync(mark)).Single(e => e.Type == "customer.subscription.created").Id;

        await app.DeliverAsync([created]);

        var record = (await app.RecordAsync(created))!;
        Assert.Equal((WebhookStates.Applied, 1), (record.State, record.Tries)); // not a failed try: a retry would find nothing either
        var unmatched = await app.Accounts.ListUnmatchedAsync(CancellationToken.None);
        Assert.Contains(unmatched, u => u.EventId == created && u.EventType == "customer.subscription.created" && u.CustomerId == customer.Id);
    }

    [Fact]
    public async Task AnEventOfAnotherType_IsAppliedAsIgnored_WithoutCallingStripe()
    {
        var (_, _, mark) = await app.PaidKeyAsync();
        var invoice = (await app.EventsAfterAsync(mark)).First(e => e.Type == "invoice.paid").Object["id"]!.GetValue<string>();
        mark = await app.MarkAsync();
        await app.Stripe.RefundAsync(invoice);
        var refunded = Assert.Single(await app.EventsAfterAsync(mark));
        var before = await app.StripeRequestCountAsync();

        await app.DeliverAsync([refunded.Id]);

        Assert.Equal("charge.refunded", refunded.Type);
        Assert.Equal(before, await app.StripeRequestCountAsync());
        Assert.Equal(WebhookStates.Applied, (await app.RecordAsync(refunded.Id))!.State);
    }

    [Fact]
    public async Task StripeFailingDuringCheckout_IsRetried_ThenAClearProblem_WithNothingHalfWritten()
    {
        var (key, id) = await app.CreateKeyAsync();

        await app.Stripe.AddFaultAsync("/v1/", StripeFaultMode.RateLimit);
        await app.Stripe.AddFaultAsync("/v1/", StripeFaultMode.ServerError);
        using var retried = await app.CheckoutAsync(key, new { plan = "standard" });
        var (key2, id2) = await app.CreateKeyAsync();
        await app.Stripe.AddFaultAsync("/v1/", StripeFaultMode.ServerError, count: 3);
        using var failed = await app.CheckoutAsync(key2, new { plan = "standard" });
        var problem = (await failed.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.NotNull(await app.Accounts.GetAsync(id, CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("urn:rtgf:problem:billing-unavailable", problem["type"]!.GetValue<string>());
        Assert.True(failed.Headers.RetryAfter is not null);
        Assert.Null(await app.Accounts.GetAsync(id2, CancellationToken.None));
        Assert.Empty(await app.Stripe.FaultsAsync());
    }

    [Fact]
    public async Task StripeFailingDuringHandling_IsAFailedTryOfTheBus_AndTheRetryApplies()
    {
        var (keyId, _, mark) = await app.PaidKeyAsync();
        var created = (await app.EventsAfterAsync(mark)).Single(e => e.Type == "customer.subscription.created").Id;

        // Three 500s: the outbound pipeline's three attempts of the handler's first read, so one try of the bus fails.
        await app.Stripe.AddFaultAsync("/v1/subscriptions/", StripeFaultMode.ServerError, count: 3);
        await app.DeliverAsync([created]);

        var record = (await app.RecordAsync(created))!;
        Assert.Equal((WebhookStates.Applied, 2), (record.State, record.Tries));
        Assert.StartsWith("StripeException", record.LastError, StringComparison.Ordinal);
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
    }

    [Fact]
    public async Task TwoEventsForOneSubscription_HandledAtOnce_LoseNoUpdate()
    {
        var (keyId, subscription, mark) = await app.PaidKeyAsync();
        var created = (await app.EventsAfterAsync(mark)).Single(e => e.Type == "customer.subscription.created").Id;

        // A's second read of the subscription (the one inside the ledger's read-then-write) reads "active" and is held;
        // the subscription is cancelled and B applies that; then A answers with what it read, and must lose the swap.
        var hold = await app.Stripe.HoldAsync("/v1/subscriptions/", skip: 1);
        var first = app.HandleAsync(created);
        var reached = await app.Stripe.HoldReachedAsync(hold);
        mark = await app.MarkAsync();
        await app.Stripe.CancelAsync(subscription);
        var deleted = Assert.Single(await app.EventsAfterAsync(mark));
        await app.HandleAsync(deleted.Id);
        var planWhileAHeld = await app.PlanOfKeyAsync(keyId);
        await app.Stripe.ReleaseHoldAsync(hold);
        await first;

        Assert.Equal("GET /v1/subscriptions/" + subscription, reached);
        Assert.Equal("free", planWhileAHeld);
        var account = await app.AccountAsync(keyId);
        Assert.Equal(("canceled", "free"), (account.Status, account.Plan));
        Assert.Equal("free", await app.PlanOfKeyAsync(keyId));
    }
}
