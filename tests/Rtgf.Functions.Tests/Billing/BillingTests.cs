using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>
/// Checkout and the subscription lifecycle on the real app (Azurite, the real Stripe.net client) against
/// <see cref="InterimStripe"/>: events are handed to the Stripe handler as the webhook bus would.
/// </summary>
public sealed class BillingTests(BillingFixture app) : IClassFixture<BillingFixture>
{
    [Fact]
    public async Task Checkout_WithoutAKey_Is401WithABearerChallenge()
    {
        using var response = await app.CheckoutAsync(null, new { plan = "standard" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("urn:rtgf:problem:unauthorized", (await response.Content.ReadFromJsonAsync<JsonObject>())!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("free")]
    [InlineData("platinum")]
    [InlineData("")]
    public async Task Checkout_OfAPlanNotOnSale_Is400AndCallsNoStripe(string plan)
    {
        var (key, _) = await app.CreateKeyAsync();
        var before = app.Stripe.Requests.Count;

        using var response = await app.CheckoutAsync(key, new { plan });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, app.Stripe.Requests.Count);
    }

    [Fact]
    public async Task Checkout_ThenCompletedAndItsEvents_PutTheKeyOnStandard_AndASecondCheckoutReusesTheCustomer()
    {
        var (key, id) = await app.CreateKeyAsync();
        var customersBefore = app.Stripe.CustomerCount;

        using var first = await app.CheckoutAsync(key, new { plan = "standard" });
        var session = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        using var second = await app.CheckoutAsync(key, new { plan = "enterprise" });
        var subscription = app.Stripe.Complete(session["id"]!.GetValue<string>());
        await app.DeliverAsync(app.Stripe.Event("checkout.session.completed", session["id"]!.GetValue<string>()));
        await app.DeliverAsync(app.Stripe.Event("customer.subscription.created", subscription));
        await app.DeliverAsync(app.Stripe.Event("invoice.paid", subscription));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.StartsWith("cs_", session["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("https://checkout.stripe.test/", session["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(customersBefore + 1, app.Stripe.CustomerCount);
        Assert.Equal("standard", await app.PlanOfKeyAsync(id));
        var account = await app.AccountAsync(id);
        Assert.Equal(("active", "standard", subscription, BillingFixture.StandardPrice), (account.Status, account.Plan, account.SubscriptionId, account.PriceId));
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task DuplicatesAndShuffledOrders_ConvergeOnStripesState(ulong seed)
    {
        var (keyId, sessionId, subscription) = await app.PaidKeyAsync();
        var events = new List<string>
        {
            app.Stripe.Event("checkout.session.completed", sessionId),
            app.Stripe.Event("customer.subscription.created", subscription),
            app.Stripe.Event("invoice.paid", subscription),
        };
        app.Stripe.SetStatus(subscription, "past_due");
        events.Add(app.Stripe.Event("invoice.payment_failed", subscription));
        events.Add(app.Stripe.Event("customer.subscription.updated", subscription));
        app.Stripe.SetStatus(subscription, "canceled");
        events.Add(app.Stripe.Event("customer.subscription.deleted", subscription));
        events.AddRange(events.ToList()); // every event delivered twice

        var random = new SeededRandom(seed);
        for (var i = events.Count - 1; i > 0; i--)
        {
            var j = random.Next(0, i + 1);
            (events[i], events[j]) = (events[j], events[i]);
        }

        foreach (var e in events)
        {
            await app.DeliverAsync(e);
        }

        var account = await app.AccountAsync(keyId);
        Assert.Equal(("canceled", "free", (DateTimeOffset?)null, subscription), (account.Status, account.Plan, account.PastDueSince, account.SubscriptionId));
        Assert.Equal("free", await app.PlanOfKeyAsync(keyId));
    }

    [Fact]
    public async Task PaymentFailed_KeepsThePlanThroughGrace_TheTimerDowngrades_PaymentUpgradesAgain()
    {
        var (keyId, _, subscription) = await app.PaidKeyAsync();
        await app.DeliverAsync(app.Stripe.Event("customer.subscription.created", subscription));
        var grace = ActivatorUtilities.CreateInstance<Rtgf.Functions.Workers.BillingGraceFunction>(app.Services);

        app.Stripe.SetStatus(subscription, "past_due");
        var failedAt = app.Clock.GetUtcNow();
        await app.DeliverAsync(app.Stripe.Event("invoice.payment_failed", subscription));
        var inGrace = (await app.AccountAsync(keyId), await app.PlanOfKeyAsync(keyId));
        app.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var downgradedEarly = await grace.RunAsync(CancellationToken.None);
        var planBeforeGraceEnds = await app.PlanOfKeyAsync(keyId);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var downgraded = await grace.RunAsync(CancellationToken.None);
        var planAfterGrace = await app.PlanOfKeyAsync(keyId);
        var downgradedAgain = await grace.RunAsync(CancellationToken.None);
        app.Stripe.SetStatus(subscription, "active");
        await app.DeliverAsync(app.Stripe.Event("invoice.paid", subscription));

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
    public async Task Cancel_PutsTheKeyOnFree()
    {
        var (keyId, _, subscription) = await app.PaidKeyAsync();
        await app.DeliverAsync(app.Stripe.Event("customer.subscription.created", subscription));
        var paid = await app.PlanOfKeyAsync(keyId);

        app.Stripe.SetStatus(subscription, "canceled");
        await app.DeliverAsync(app.Stripe.Event("customer.subscription.deleted", subscription));

        Assert.Equal("standard", paid);
        Assert.Equal("free", await app.PlanOfKeyAsync(keyId));
        Assert.Equal("canceled", (await app.AccountAsync(keyId)).Status);
    }

    [Fact]
    public async Task ARevokedKey_IsNotRevived_AndTheAccountSaysWhy()
    {
        var (keyId, _, subscription) = await app.PaidKeyAsync();
        using (var client = app.CreateClient())
        {
            using var revoked = await client.PostAsJsonAsync($"/ops/api-keys/{keyId}/revoke", new { reason = "abuse" });
            revoked.EnsureSuccessStatusCode();
        }

        await app.DeliverAsync(app.Stripe.Event("customer.subscription.created", subscription));

        Assert.Equal("free", await app.PlanOfKeyAsync(keyId));
        var account = await app.AccountAsync(keyId);
        Assert.Equal(("active", "standard", "revoked"), (account.Status, account.Plan, account.KeyNote));
    }

    [Fact]
    public async Task AnEventForAnUnknownCustomer_IsRecordedAndNotRetried()
    {
        var foreign = app.Stripe.Foreign(BillingFixture.StandardPrice);
        var stripeEvent = app.Stripe.Event("customer.subscription.updated", foreign);
        var eventId = JsonNode.Parse(stripeEvent)!["id"]!.GetValue<string>();

        await app.DeliverAsync(stripeEvent); // no exception: a failed try would be retried for nothing

        var unmatched = await app.Accounts.ListUnmatchedAsync(CancellationToken.None);
        Assert.Contains(unmatched, u => u.EventId == eventId && u.EventType == "customer.subscription.updated" && u.CustomerId is not null);
    }

    [Fact]
    public async Task AnEventOfAnotherType_IsIgnored()
    {
        var json = """{"id":"evt_other_1","object":"event","api_version":"2025-11-17.clover","created":1764900000,"type":"charge.refunded","livemode":false,"data":{"object":{"id":"ch_1","object":"charge"}}}""";
        var before = app.Stripe.Requests.Count;

        await app.DeliverAsync(json);

        Assert.Equal(before, app.Stripe.Requests.Count);
    }

    [Fact]
    public async Task StripeFailingDuringCheckout_IsRetried_ThenAClearProblem_WithNothingHalfWritten()
    {
        var (key, id) = await app.CreateKeyAsync();

        app.Stripe.Fail(429);
        app.Stripe.Fail(500);
        using var retried = await app.CheckoutAsync(key, new { plan = "standard" });
        var (key2, id2) = await app.CreateKeyAsync();
        app.Stripe.Fail(500, count: 3);
        using var failed = await app.CheckoutAsync(key2, new { plan = "standard" });
        var problem = (await failed.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.NotNull(await app.Accounts.GetAsync(id, CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("urn:rtgf:problem:billing-unavailable", problem["type"]!.GetValue<string>());
        Assert.True(failed.Headers.RetryAfter is not null);
        Assert.Null(await app.Accounts.GetAsync(id2, CancellationToken.None));
    }

    [Fact]
    public async Task StripeFailingDuringHandling_IsAFailedTry_AndTheRetryApplies()
    {
        var (keyId, _, subscription) = await app.PaidKeyAsync();
        var created = app.Stripe.Event("customer.subscription.created", subscription);

        app.Stripe.Fail(500, count: 3);
        await Assert.ThrowsAnyAsync<Exception>(() => app.DeliverAsync(created));
        var planAfterFailure = await app.PlanOfKeyAsync(keyId);
        await app.DeliverAsync(created);

        Assert.Equal("free", planAfterFailure);
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
    }

    [Fact]
    public async Task TwoEventsForOneSubscription_HandledAtOnce_LoseNoUpdate()
    {
        var (keyId, _, subscription) = await app.PaidKeyAsync();
        var created = app.Stripe.Event("customer.subscription.created", subscription);

        // A reads "active" from Stripe and is held; the subscription is cancelled and B applies that; then A goes on.
        var (reached, release) = app.Stripe.HoldNextSubscriptionRead();
        var first = app.DeliverAsync(created);
        await reached;
        app.Stripe.SetStatus(subscription, "canceled");
        await app.DeliverAsync(app.Stripe.Event("customer.subscription.deleted", subscription));
        release.SetResult();
        await first;

        var account = await app.AccountAsync(keyId);
        Assert.Equal(("canceled", "free"), (account.Status, account.Plan));
        Assert.Equal("free", await app.PlanOfKeyAsync(keyId));
    }
}
