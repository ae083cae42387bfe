using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Rtgf.Azure.Billing;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Tests.Access;
using Rtgf.Functions.Tests.Webhooks;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Billing;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Webhooks;
using Rtgf.StripeStandIn;
using Rtgf.Testing;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>
/// The real app on Azurite with billing and the webhook bus, against the Stripe stand-in (tools/Rtgf.StripeStandIn) on
/// the app's own manual clock: the real Stripe.net client through the outbound pipeline (retries without delays),
/// the real Stripe handler behind <c>POST /hooks/stripe</c> (the bus verifies the stand-in's signatures with its secret),
/// and the <c>webhooks</c> queue function run by <see cref="WebhookAppFixture.DrainAsync"/>. Each test makes its own key.
/// </summary>
public sealed class BillingFixture : WebhookAppFixture
{
    public const string StandardPrice = "price_standard_monthly";
    public const string EnterprisePrice = "price_enterprise_monthly";

    /// <summary>A legacy price of <c>standard</c> that charges nothing (a promotion): its invoices are for 0.</summary>
    public const string FreeStandardPrice = "price_standard_promo";

    private readonly List<CommsRequest> _comms = [];

    public StripeStandInFixture StandIn { get; } = new();

    /// <summary>The comms outbox's queue (<c>rtgf-comms</c>) in this fixture's Azurite namespace.</summary>
    public QueueClient CommsQueue => Azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding }).GetQueueClient(Prefix + CommsOutbox.Queue);

    public StripeStandInAdmin Stripe => StandIn.Admin;

    /// <summary>Stripe.net on the stand-in, for what a test reads or sets up directly (as Stripe's dashboard would).</summary>
    public StripeClient StripeClient => new(StandIn.SecretKey, apiBase: StandIn.ApiBase);

    public TableBillingAccountStore Accounts => Services.GetRequiredService<TableBillingAccountStore>();

    public IApiKeyStore Keys => Services.GetRequiredService<IApiKeyStore>();

    public IWebhookHandler StripeHandler => Services.GetServices<IWebhookHandler>().Single(h => h.Provider == "stripe");

    protected override bool CountsStripeEvents => false;

    public override async Task InitializeAsync()
    {
        // One clock for the app and Stripe: events are signed at the app's now, so the bus's tolerance holds.
        await StandIn.StartAsync(new StripeStandInOptions
        {
            TimeProvider = Clock,
            Prices = [new(StandardPrice, "standard", 4_900), new(EnterprisePrice, "enterprise", 49_900), new(FreeStandardPrice, "standard", 0)],
        });
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await StandIn.DisposeAsync();
    }

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>(base.Settings)
            {
                ["ApiKeys:HashKey"] = AccessInstance.HashKey,
                ["Stripe:RetryDelayMilliseconds"] = "0",
                ["Billing:Prices:standard"] = StandardPrice,
                ["Billing:Prices:enterprise"] = EnterprisePrice,
                ["Billing:LegacyPrices:standard"] = FreeStandardPrice,
                ["Billing:SuccessUrl"] = "https://rtgf.test/billing/done",
                ["Billing:CancelUrl"] = "https://rtgf.test/billing/cancelled",
                ["Billing:GraceDays"] = "7",
                [BillingSettings.GraceScheduleSetting] = BillingSettings.DefaultGraceSchedule,
            };
            foreach (var (name, value) in StandIn.Settings)
            {
                settings[name] = value; // Stripe:ApiBase, Stripe:SecretKey, Stripe:WebhookSecret (the stand-in's signing secret)
            }

            return settings;
        }
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

    /// <summary>
    /// A key that has checked out and paid for <c>standard</c> (the session completed at the stand-in; no events delivered
    /// yet): its id, the subscription, and the id of the last event before the checkout (see <see cref="EventsAfterAsync"/>).
    /// </summary>
    public async Task<(string KeyId, string SubscriptionId, string? Mark)> PaidKeyAsync(string? email = null, string plan = "standard")
    {
        var (key, id) = await CreateKeyAsync();
        var mark = await MarkAsync();
        using var response = await CheckoutAsync(key, new { plan });
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await (email is null ? Stripe.CompleteCheckoutSessionAsync(session) : Stripe.CompleteCheckoutSessionAsync(session, email));
        var subscription = (await new SessionService(StripeClient).GetAsync(session)).SubscriptionId;
        return (id, subscription, mark);
    }

    /// <summary>The stand-in's last event so far (null: none yet): a test's events are those after it.</summary>
    public async Task<string?> MarkAsync() => (await Stripe.EventsAsync()).Select(e => (string)e["id"]!).LastOrDefault();

    /// <summary>The stand-in's events after <paramref name="mark"/>, oldest first: (id, type, data.object).</summary>
    public async Task<IReadOnlyList<(string Id, string Type, JsonObject Object)>> EventsAfterAsync(string? mark) =>
        [.. (await Stripe.EventsAsync(mark)).Select(e => ((string)e["id"]!, (string)e["type"]!, e["data"]!["object"]!.AsObject()))];

    /// <summary>
    /// Delivers the events, in this order, to the app's <c>POST /hooks/stripe</c> exactly as Stripe would (the body and a
    /// <c>Stripe-Signature</c> the stand-in makes now), expecting each accepted; then runs the <c>webhooks</c> queue
    /// function until the queue is empty. Answers whether each delivery was a duplicate.
    /// </summary>
    public async Task<IReadOnlyList<bool>> DeliverAsync(IEnumerable<string> eventIds)
    {
        using var client = CreateClient();
        var duplicates = new List<bool>();
        foreach (var id in eventIds)
        {
            var delivery = await Stripe.DeliveryAsync(id);
            using var request = SignedDelivery(Encoding.UTF8.GetBytes(delivery.Body), delivery.Signature);
            using var response = await client.SendAsync(request);
            var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id}: {(int)response.StatusCode} {receipt}");
            duplicates.Add(receipt["duplicate"]!.GetValue<bool>());
        }

        await DrainAsync();
        return duplicates;
    }

    /// <summary>A <c>POST /hooks/stripe</c> of these bytes with this <c>Stripe-Signature</c>.</summary>
    public static HttpRequestMessage SignedDelivery(byte[] body, string signature)
    {
        var request = Post("stripe", body);
        request.Headers.TryAddWithoutValidation(StripeSignatureVerifier.Header, signature);
        return request;
    }

    /// <summary>The ids in a seeded shuffle, each <paramref name="times"/> times (duplicate deliveries, any order).</summary>
    public static List<string> Shuffled(IEnumerable<string> ids, ulong seed, int times = 2)
    {
        var order = Enumerable.Repeat(ids.ToList(), times).SelectMany(i => i).ToList();
        var random = new SeededRandom(seed);
        for (var i = order.Count - 1; i > 0; i--)
        {
            var j = random.Next(0, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    /// <summary>Hands one of the stand-in's events straight to the Stripe handler, as one dispatch of the bus would (to run two at once).</summary>
    public async Task HandleAsync(string eventId)
    {
        var delivery = await Stripe.DeliveryAsync(eventId);
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        await StripeHandler.HandleAsync(new WebhookEvent("stripe", delivery.Id, delivery.Type, Clock.GetUtcNow(), WebhookInbox.Digest(body), body), CancellationToken.None);
    }

    public async Task<WebhookRecord?> RecordAsync(string eventId) => (await WebhookStore.GetAsync("stripe", eventId, CancellationToken.None))?.Record;

    public async Task<BillingAccount> AccountAsync(string keyId) => (await Accounts.GetAsync(keyId, CancellationToken.None))?.Account ?? throw new InvalidOperationException("no account");

    public async Task<string> PlanOfKeyAsync(string keyId) => (await Keys.GetAsync(keyId, CancellationToken.None))!.Record.Plan;

    /// <summary>
    /// Every message the app has put on the comms queue so far, oldest first (taken off the queue into this list: until the
    /// comms part's sender runs, the queue is where an email is seen).
    /// </summary>
    public async Task<IReadOnlyList<CommsRequest>> CommsAsync()
    {
        await CommsQueue.CreateIfNotExistsAsync();
        while ((await CommsQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } received)
        {
            foreach (var message in received)
            {
                lock (_comms)
                {
                    _comms.Add(JsonSerializer.Deserialize(message.Body.ToString(), CommsJson.Default.CommsRequest)!);
                }

                await CommsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        lock (_comms)
        {
            return [.. _comms];
        }
    }

    /// <summary>The comms messages to one address.</summary>
    public async Task<IReadOnlyList<CommsRequest>> CommsToAsync(string to) => [.. (await CommsAsync()).Where(m => m.To == to)];

    /// <summary>The stand-in's API requests so far (Stripe calls the app made).</summary>
    public async Task<int> StripeRequestCountAsync() => (await Stripe.RequestsAsync()).Count;
}
