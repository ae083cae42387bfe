using System.Text.Json.Nodes;
using Rtgf.Testing;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.StripeStandIn.Tests;

public sealed class EventTests : IAsyncLifetime
{
    private readonly StripeStandInFixture _stand = new();

    public Task InitializeAsync() => _stand.InitializeAsync();

    public Task DisposeAsync() => _stand.DisposeAsync();

    private long Now => _stand.Clock.GetUtcNow().ToUnixTimeSeconds();

    private async Task<string> PaidSubscriptionAsync()
    {
        var session = await new SessionService(Stand.Client(_stand)).CreateAsync(Stand.Checkout());
        return (string)(await _stand.Admin.CompleteCheckoutSessionAsync(session.Id))["subscription"]!;
    }

    [Fact]
    public async Task CompletingCheckout_EmitsTheThreeEvents_InOrder_WithTheObjectsAsTheyWere()
    {
        var subscription = await PaidSubscriptionAsync();

        var events = await _stand.Admin.EventsAsync();

        Assert.Equal(["customer.created", "checkout.session.completed", "customer.subscription.created", "invoice.paid"], events.Select(e => (string?)e["type"]));
        Assert.All(events, e =>
        {
            Assert.StartsWith("evt_", (string?)e["id"], StringComparison.Ordinal);
            Assert.Equal("event", (string?)e["object"]);
            Assert.Equal(StripeConfiguration.ApiVersion, (string?)e["api_version"]);
            Assert.False((bool)e["livemode"]!);
            Assert.Equal(0, (int)e["pending_webhooks"]!);
            Assert.Equal(Now, (long)e["created"]!);
        });
        Assert.Equal(subscription, (string?)events[1]["data"]!["object"]!["subscription"]);
        Assert.Equal("active", (string?)events[2]["data"]!["object"]!["status"]);
        Assert.Equal("paid", (string?)events[3]["data"]!["object"]!["status"]);
        Assert.Equal([(string?)events[2]["id"], (string?)events[3]["id"]], (await _stand.Admin.EventsAsync(after: (string?)events[1]["id"])).Select(e => (string?)e["id"]));
    }

    [Fact]
    public async Task Delivery_IsAcceptedByStripeNetsConstructEvent_AndATamperedOrStaleOneIsRefused()
    {
        await PaidSubscriptionAsync();
        var paid = (await _stand.Admin.EventsAsync()).Single(e => (string?)e["type"] == "invoice.paid");

        var delivery = await _stand.Admin.DeliveryAsync((string)paid["id"]!);
        var stripeEvent = EventUtility.ConstructEvent(delivery.Body, delivery.Signature, _stand.WebhookSecret, 300, Now, throwOnApiVersionMismatch: true);
        var tampered = delivery.Body.Replace("\"paid\"", "\"void\"", StringComparison.Ordinal);
        var stale = await _stand.Admin.DeliveryAsync((string)paid["id"]!, signedAt: _stand.Clock.GetUtcNow().AddMinutes(-10));

        Assert.Equal((string)paid["id"]!, stripeEvent.Id);
        Assert.Equal("invoice.paid", stripeEvent.Type);
        var invoice = Assert.IsType<Invoice>(stripeEvent.Data.Object);
        Assert.Equal("paid", invoice.Status);
        Assert.NotEqual(delivery.Body, tampered);
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(tampered, delivery.Signature, _stand.WebhookSecret, 300, Now, throwOnApiVersionMismatch: true));
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(delivery.Body, delivery.Signature, "whsec_other", 300, Now, throwOnApiVersionMismatch: true));
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(stale.Body, stale.Signature, _stand.WebhookSecret, 300, Now, throwOnApiVersionMismatch: true));
        Assert.Equal(delivery.Body, stale.Body);
    }

    [Fact]
    public async Task Lifecycle_FailRecoverChangeAdvanceCancelRefund_EmitsStripesEvents_AndChangesTheObjects()
    {
        var subscription = await PaidSubscriptionAsync();
        var client = Stand.Client(_stand);
        var subscriptions = new SubscriptionService(client);
        var start = (await _stand.Admin.EventsAsync()).Count;

        await _stand.Admin.FailNextPaymentAsync(subscription);
        var pastDue = await subscriptions.GetAsync(subscription);
        await _stand.Admin.RecoverAsync(subscription);
        var recovered = await subscriptions.GetAsync(subscription);
        await _stand.Admin.ChangePriceAsync(subscription, "price_enterprise_monthly");
        var renewal = await _stand.Admin.AdvancePeriodAsync(subscription);
        var charge = await _stand.Admin.RefundAsync((string)renewal["id"]!, 1_000);
        await _stand.Admin.CancelAsync(subscription);
        var canceled = await subscriptions.GetAsync(subscription);
        var events = (await _stand.Admin.EventsAsync()).Skip(start).ToList();

        Assert.Equal("past_due", pastDue.Status);
        Assert.Equal("active", recovered.Status);
        Assert.Equal("canceled", canceled.Status);
        Assert.Equal("price_enterprise_monthly", Assert.Single(canceled.Items.Data).Price.Id);
        Assert.Equal(49_900, (long)renewal["amount_paid"]!);
        Assert.Equal(1_000, (long)charge["amount_refunded"]!);
        Assert.False((bool)charge["refunded"]!);
        Assert.Equal(
            [
                "invoice.payment_failed", "customer.subscription.updated",
                "invoice.paid", "customer.subscription.updated",
                "customer.subscription.updated",
                "invoice.paid", "customer.subscription.updated",
                "charge.refunded",
                "customer.subscription.deleted",
            ],
            events.Select(e => (string?)e["type"]));
        Assert.Equal("active", (string?)events[1]["data"]!["previous_attributes"]!["status"]);
        Assert.Equal("past_due", (string?)events[1]["data"]!["object"]!["status"]);
        var refunded = EventUtility.ParseEvent(events[7].ToJsonString());
        Assert.Equal(1_000, Assert.IsType<Charge>(refunded.Data.Object).AmountRefunded);
        var failed = await _stand.Admin.DeliveryAsync((string)events[0]["id"]!);
        Assert.Equal("open", Assert.IsType<Invoice>(EventUtility.ConstructEvent(failed.Body, failed.Signature, _stand.WebhookSecret, 300, Now).Data.Object).Status);
    }

    [Fact]
    public async Task Refunds_AreListedAsStripeRefunds_NewestFirst_ByChargeAndCreated()
    {
        var subscription = await PaidSubscriptionAsync();
        var client = Stand.Client(_stand);
        var invoice = (string)(await _stand.Admin.AdvancePeriodAsync(subscription))["id"]!;
        var charge = await _stand.Admin.RefundAsync(invoice, 1_000);
        _stand.Clock.Advance(TimeSpan.FromHours(1));
        await _stand.Admin.RefundAsync(invoice);
        var refunds = new RefundService(client);

        var all = await refunds.ListAsync(new RefundListOptions { Limit = 10 });
        var later = await refunds.ListAsync(new RefundListOptions { Created = new DateRangeOptions { GreaterThan = _stand.Clock.GetUtcNow().UtcDateTime.AddMinutes(-30) } });
        var byCharge = await refunds.ListAsync(new RefundListOptions { Charge = (string)charge["id"]! });
        var one = await refunds.GetAsync(all.Data[1].Id);

        Assert.Equal(2, all.Data.Count);
        Assert.Equal([3_900L, 1_000L], all.Data.Select(r => r.Amount)); // 49.00 renewal: 10.00, then the 39.00 left
        Assert.All(all.Data, r => Assert.Equal("succeeded", r.Status));
        Assert.All(all.Data, r => Assert.Equal((string)charge["id"]!, r.ChargeId));
        Assert.Equal(all.Data[0].Id, Assert.Single(later.Data).Id);
        Assert.Equal(2, byCharge.Data.Count);
        Assert.Equal(1_000, one.Amount);
        Assert.StartsWith("re_", one.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminErrors_AreStripeShaped_ForUnknownIdsStateConflictsAndBadBodies()
    {
        var subscription = await PaidSubscriptionAsync();
        using var http = new HttpClient { BaseAddress = _stand.Server.BaseAddress };

        using var unknown = await http.PostAsync(new Uri("_standin/subscriptions/sub_nope/cancel", UriKind.Relative), null);
        using var recoverActive = await http.PostAsync(new Uri($"_standin/subscriptions/{subscription}/recover", UriKind.Relative), null);
        using var badAmount = await http.PostAsync(new Uri("_standin/invoices/in_0000000001/refund", UriKind.Relative), new StringContent("""{"amount":"ten"}""", System.Text.Encoding.UTF8, "application/json"));
        using var badJson = await http.PostAsync(new Uri("_standin/faults", UriKind.Relative), new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        var unknownBody = JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!;

        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("resource_missing", (string?)unknownBody["error"]!["code"]);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, recoverActive.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badAmount.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badJson.StatusCode);
    }
}
