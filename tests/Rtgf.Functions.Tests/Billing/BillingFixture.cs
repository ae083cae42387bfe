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
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>
/// The real app on Azurite with billing configured against <see cref="InterimStripe"/> (the real Stripe.net client through
/// the outbound pipeline, retries without delays), on a manual clock. Each test makes its own API key.
/// </summary>
public sealed class BillingFixture : FunctionsApp
{
    public static readonly DateTimeOffset Start = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    public const string StandardPrice = "price_standard_test";
    public const string EnterprisePrice = "price_enterprise_test";

    private AzuriteFixture _azurite = null!;
    private string _prefix = string.Empty;

    public ManualTimeProvider Clock { get; } = new(Start);

    public InterimStripe Stripe { get; private set; } = null!;

    public TableBillingAccountStore Accounts => Services.GetRequiredService<TableBillingAccountStore>();

    public IApiKeyStore Keys => Services.GetRequiredService<IApiKeyStore>();

    public IWebhookHandler Handler => Services.GetServices<IWebhookHandler>().Single(h => h.Provider == "stripe");

    public override async Task InitializeAsync()
    {
        _azurite = await SharedAzurite.GetAsync();
        _prefix = _azurite.UniqueName("bil");
        Stripe = await InterimStripe.StartAsync();
        await StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RtgfStorage"] = _azurite.ConnectionString,
        ["ApiKeys:HashKey"] = AccessInstance.HashKey,
        ["ApiAccess:TablePrefix"] = _prefix,
        ["Stripe:SecretKey"] = "sk_test_billing_tests",
        ["Stripe:ApiBase"] = Stripe.BaseAddress.ToString(),
        ["Stripe:RetryDelayMilliseconds"] = "0",
        ["Billing:Prices:standard"] = StandardPrice,
        ["Billing:Prices:enterprise"] = EnterprisePrice,
        ["Billing:SuccessUrl"] = "https://rtgf.test/billing/done",
        ["Billing:CancelUrl"] = "https://rtgf.test/billing/cancelled",
        ["Billing:GraceDays"] = "7",
        [BillingSettings.GraceScheduleSetting] = BillingSettings.DefaultGraceSchedule,
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
    }

    /// <summary>A new key on the free plan (through <c>POST /ops/api-keys</c>): the key and its id.</summary>
    public async Task<(string Key, string Id)> CreateKeyAsync(DateTimeOffset? expiresAt = null)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/ops/api-keys", new { name = "billing test", owner = "billing@example.org", scopes = new[] { "catalogue:read" }, plan = "free", expiresAt });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["key"]!.GetValue<string>(), body["apiKey"]!["id"]!.GetValue<string>());
    }

    public async Task<HttpResponseMessage> CheckoutAsync(string? key, object body, string? idempotencyKey = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/billing/checkout") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>A key that has checked out and paid for <c>standard</c>: its id, session id and subscription id (no events delivered yet).</summary>
    public async Task<(string KeyId, string SessionId, string SubscriptionId)> PaidKeyAsync()
    {
        var (key, id) = await CreateKeyAsync();
        using var response = await CheckoutAsync(key, new { plan = "standard" });
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        return (id, session, Stripe.Complete(session));
    }

    /// <summary>Hands an event to the Stripe handler as the webhook bus would.</summary>
    public Task DeliverAsync(string eventJson)
    {
        var body = Encoding.UTF8.GetBytes(eventJson);
        var parsed = JsonNode.Parse(eventJson)!;
        var webhook = new WebhookEvent("stripe", parsed["id"]!.GetValue<string>(), parsed["type"]!.GetValue<string>(), Clock.GetUtcNow(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), body);
        return Handler.HandleAsync(webhook, CancellationToken.None);
    }

    public async Task<BillingAccount> AccountAsync(string keyId) => (await Accounts.GetAsync(keyId, CancellationToken.None))?.Account ?? throw new InvalidOperationException("no account");

    public async Task<string> PlanOfKeyAsync(string keyId) => (await Keys.GetAsync(keyId, CancellationToken.None))!.Record.Plan;
}
