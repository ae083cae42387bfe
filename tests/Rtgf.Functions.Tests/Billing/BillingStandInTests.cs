using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Tests.Access;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Webhooks;
using Rtgf.StripeStandIn;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>The real app on Azurite against the Stripe stand-in (tools/Rtgf.StripeStandIn), its events as it signs and serves them.</summary>
public sealed class BillingStandInFixture : FunctionsApp
{
    private AzuriteFixture _azurite = null!;
    private string _prefix = string.Empty;

    public StripeStandInFixture StandIn { get; } = new();

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));

    public override async Task InitializeAsync()
    {
        _azurite = await SharedAzurite.GetAsync();
        _prefix = _azurite.UniqueName("bsi");
        await StandIn.InitializeAsync();
        await StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await StandIn.DisposeAsync();
    }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(StandIn.Settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
    {
        ["RtgfStorage"] = _azurite.ConnectionString,
        ["ApiKeys:HashKey"] = AccessInstance.HashKey,
        ["ApiAccess:TablePrefix"] = _prefix,
        ["Stripe:RetryDelayMilliseconds"] = "0",
        ["Billing:Prices:standard"] = "price_standard_monthly",
        ["Billing:Prices:enterprise"] = "price_enterprise_monthly",
        ["Billing:SuccessUrl"] = "https://rtgf.test/billing/done",
        ["Billing:CancelUrl"] = "https://rtgf.test/billing/cancelled",
        [BillingSettings.GraceScheduleSetting] = BillingSettings.DefaultGraceSchedule,
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
    }

    /// <summary>Delivers the stand-in's events after <paramref name="after"/> to the Stripe handler (each twice, in a seeded shuffle); the last event's id.</summary>
    public async Task<string?> DeliverEventsAsync(string? after, ulong seed)
    {
        var events = await StandIn.Admin.EventsAsync(after);
        var ids = events.Select(e => (string)e["id"]!).ToList();
        var order = ids.Concat(ids).ToList();
        var random = new SeededRandom(seed);
        for (var i = order.Count - 1; i > 0; i--)
        {
            var j = random.Next(0, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var handler = Services.GetServices<IWebhookHandler>().Single(h => h.Provider == "stripe");
        foreach (var id in order)
        {
            var delivery = await StandIn.Admin.DeliveryAsync(id);
            var body = Encoding.UTF8.GetBytes(delivery.Body);
            await handler.HandleAsync(
                new WebhookEvent("stripe", delivery.Id, delivery.Type, Clock.GetUtcNow(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), body),
                CancellationToken.None);
        }

        return ids.Count == 0 ? after : ids[^1];
    }
}

/// <summary>Checkout, payment, a failed payment with its grace, recovery and cancellation, end to end through the stand-in.</summary>
public sealed class BillingStandInTests(BillingStandInFixture app) : IClassFixture<BillingStandInFixture>
{
    [Fact]
    public async Task TheWholeLifecycle_ThroughTheStandIn_MovesTheKeysPlan()
    {
        using var client = app.CreateClient();
        using var created = await client.PostAsJsonAsync("/ops/api-keys", new { name = "stand-in", owner = "billing@example.org", scopes = new[] { "catalogue:read" }, plan = "free" });
        var issued = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var (key, keyId) = ((string)issued["key"]!, (string)issued["apiKey"]!["id"]!);
        var keys = app.Services.GetRequiredService<IApiKeyStore>();
        async Task<string> PlanAsync() => (await keys.GetAsync(keyId, CancellationToken.None))!.Record.Plan;
        var before = (await app.StandIn.Admin.EventsAsync()).Select(e => (string)e["id"]!).LastOrDefault();

        // Checkout, with Stripe rate limiting the first try (retried by the outbound pipeline).
        await app.StandIn.Admin.AddFaultAsync("/v1/checkout/sessions", StripeFaultMode.RateLimit);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/billing/checkout") { Content = JsonContent.Create(new { plan = "standard" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var checkout = await client.SendAsync(request);
        var session = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!;
        await app.StandIn.Admin.CompleteCheckoutSessionAsync((string)session["id"]!);
        var mark = await app.DeliverEventsAsync(before, seed: 7);
        var subscription = (await app.StandIn.Admin.EventsAsync(before)).Select(e => e["data"]!["object"]!).First(o => (string)o["object"]! == "subscription")["id"]!.GetValue<string>();
        var paid = await PlanAsync();

        await app.StandIn.Admin.FailNextPaymentAsync(subscription);
        mark = await app.DeliverEventsAsync(mark, seed: 8);
        var inGrace = await PlanAsync();
        app.Clock.Advance(TimeSpan.FromDays(8));
        await ActivatorUtilities.CreateInstance<Rtgf.Functions.Workers.BillingGraceFunction>(app.Services).RunAsync(CancellationToken.None);
        var afterGrace = await PlanAsync();

        await app.StandIn.Admin.RecoverAsync(subscription);
        mark = await app.DeliverEventsAsync(mark, seed: 9);
        var recovered = await PlanAsync();

        await app.StandIn.Admin.CancelAsync(subscription);
        await app.DeliverEventsAsync(mark, seed: 10);

        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        Assert.Equal(("standard", "standard", "free", "standard"), (paid, inGrace, afterGrace, recovered));
        Assert.Equal("free", await PlanAsync());
    }
}
