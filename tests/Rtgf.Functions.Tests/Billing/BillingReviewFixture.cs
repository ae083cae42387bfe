using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Billing;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Tests.Access;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Billing;
using Rtgf.Pipeline.Webhooks;
using Rtgf.StripeStandIn;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>
/// The real app on Azurite against the Stripe stand-in (the real Stripe.net client), with a current price, a legacy price
/// and a price of no plan of ours, on a manual clock. Each test makes its own API key.
/// </summary>
public sealed class BillingReviewFixture : FunctionsApp
{
    public const string StandardPrice = "price_standard_monthly";
    public const string LegacyStandardPrice = "price_standard_2025";
    public const string UnknownPrice = "price_partner_special";

    private AzuriteFixture _azurite = null!;
    private string _prefix = string.Empty;

    public StripeStandInFixture StandIn { get; } = new();

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));

    public TableBillingAccountStore Accounts => Services.GetRequiredService<TableBillingAccountStore>();

    public IApiKeyStore Keys => Services.GetRequiredService<IApiKeyStore>();

    public IWebhookHandler Handler => Services.GetServices<IWebhookHandler>().Single(h => h.Provider == "stripe");

    public override async Task InitializeAsync()
    {
        _azurite = await SharedAzurite.GetAsync();
        _prefix = _azurite.UniqueName("brv");
        await StandIn.StartAsync(new StripeStandInOptions
        {
            TimeProvider = StandIn.Clock,
            Prices =
            [
                new(StandardPrice, "standard", 4_900),
                new("price_enterprise_monthly", "enterprise", 49_900),
                new(LegacyStandardPrice, "standard", 3_900),
                new(UnknownPrice, "partner", 1_000),
            ],
        });
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
        ["Billing:Prices:standard"] = StandardPrice,
        ["Billing:Prices:enterprise"] = "price_enterprise_monthly",
        ["Billing:LegacyPrices:standard"] = "price_standard_2024, " + LegacyStandardPrice,
        ["Billing:SuccessUrl"] = "https://rtgf.test/billing/done",
        ["Billing:CancelUrl"] = "https://rtgf.test/billing/cancelled",
        [BillingSettings.GraceScheduleSetting] = BillingSettings.DefaultGraceSchedule,
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
    }

    /// <summary>A new key on the free plan (through <c>POST /ops/api-keys</c>): the key and its id.</summary>
    public async Task<(string Key, string Id)> CreateKeyAsync()
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/ops/api-keys", new { name = "billing review", owner = "billing@example.org", scopes = new[] { "catalogue:read" }, plan = "free" });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["key"]!.GetValue<string>(), body["apiKey"]!["id"]!.GetValue<string>());
    }

    public async Task<HttpResponseMessage> CheckoutAsync(string key, string plan, string? idempotencyKey = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/billing/checkout") { Content = JsonContent.Create(new { plan }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>A key that checked out <c>standard</c> and paid, its events applied: the key, its id and the subscription id.</summary>
    public async Task<(string Key, string KeyId, string SubscriptionId)> PaidKeyAsync()
    {
        var (key, keyId) = await CreateKeyAsync();
        var before = await LastEventAsync();
        using var response = await CheckoutAsync(key, "standard");
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await StandIn.Admin.CompleteCheckoutSessionAsync(session);
        var subscription = (await StandIn.Admin.EventsAsync(before)).Select(e => e["data"]!["object"]!)
            .First(o => (string)o["object"]! == "subscription")["id"]!.GetValue<string>();
        await DeliverEventsAsync(before);
        return (key, keyId, subscription);
    }

    public async Task<string?> LastEventAsync() => (await StandIn.Admin.EventsAsync()).Select(e => (string)e["id"]!).LastOrDefault();

    /// <summary>Hands the stand-in's events after <paramref name="after"/> to the Stripe handler, in order, as the bus would.</summary>
    public async Task DeliverEventsAsync(string? after)
    {
        foreach (var id in (await StandIn.Admin.EventsAsync(after)).Select(e => (string)e["id"]!))
        {
            var delivery = await StandIn.Admin.DeliveryAsync(id);
            var body = Encoding.UTF8.GetBytes(delivery.Body);
            await Handler.HandleAsync(
                new WebhookEvent("stripe", delivery.Id, delivery.Type, Clock.GetUtcNow(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), body),
                CancellationToken.None);
        }
    }

    public async Task<BillingAccount> AccountAsync(string keyId) => (await Accounts.GetAsync(keyId, CancellationToken.None))?.Account ?? throw new InvalidOperationException("no account");

    public async Task<string> PlanOfKeyAsync(string keyId) => (await Keys.GetAsync(keyId, CancellationToken.None))!.Record.Plan;
}
