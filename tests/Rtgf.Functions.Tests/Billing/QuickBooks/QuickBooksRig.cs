using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Billing.QuickBooks;
using Rtgf.Functions.Tests.Support;
using Rtgf.Ingestion.Outbound;
using Rtgf.KeyVaultStandIn;
using Rtgf.StripeStandIn;
using Rtgf.Testing;
using Rtgf.UpstreamSimulator;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.Functions.Tests.Billing.QuickBooks;

/// <summary>
/// One test's real parts on one manual clock: the upstream simulator's QuickBooks stand-in, the Stripe stand-in, the
/// Key Vault stand-in (HTTPS, the real SecretClient) and Azurite (this rig's own ledger table and report container);
/// the app's QuickBooks connection and Stripe client on the real outbound pipeline (retries without delays).
/// </summary>
internal sealed class QuickBooksRig : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];

    private QuickBooksRig(ManualTimeProvider clock, SimulatorServer simulator, StripeStandInFixture stripe, KeyVaultStandInServer vault, AzuriteFixture azurite, string prefix)
    {
        Clock = clock;
        Simulator = simulator;
        Stripe = stripe;
        Vault = vault;
        Azurite = azurite;
        Prefix = prefix;
        Outbound = new OutboundHttpClientFactory(clock, Logs.Factory);
        Sim = new HttpClient { BaseAddress = simulator.BaseAddress };
        Settings = new QuickBooksSettings
        {
            ClientId = "sim-qb-client",
            ClientSecret = "sim-qb-secret",
            RealmId = "9341453050298815",
            KeyVaultUri = vault.VaultUri,
            RefreshTokenSecret = "qb-refresh",
            ApiBase = simulator.BaseAddress,
            // Another origin than the API, as in Azure (the outbound pipeline keeps one retry policy per origin).
            TokenUrl = new Uri($"http://localhost:{simulator.BaseAddress.Port}/oauth2/v1/tokens/bearer"),
            ItemId = "7",
            RefundAccountId = "35",
            Lookback = TimeSpan.FromDays(35),
            MaxRetries = 3,
            RetryDelay = TimeSpan.Zero,
        };
        Ledger = new ReceiptLedger(() => azurite.TableService(), prefix);
        Reports = new ReconcileReportStore(azurite.BlobService().GetBlobContainerClient(prefix + "reconcile"));
        var stripeSettings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stripe:ApiBase"] = stripe.ApiBase,
            ["Stripe:SecretKey"] = stripe.SecretKey,
            ["Stripe:RetryDelayMilliseconds"] = "0",
        }).Build();
        StripeClient = StripeConnection.FromConfiguration(stripeSettings, Outbound).Client!;
    }

    public ManualTimeProvider Clock { get; }

    public SimulatorServer Simulator { get; }

    public StripeStandInFixture Stripe { get; }

    public KeyVaultStandInServer Vault { get; }

    public AzuriteFixture Azurite { get; }

    public string Prefix { get; }

    public TestLogs Logs { get; } = new();

    public OutboundHttpClientFactory Outbound { get; }

    public HttpClient Sim { get; }

    public QuickBooksSettings Settings { get; }

    public ReceiptLedger Ledger { get; }

    public ReconcileReportStore Reports { get; }

    public StripeClient StripeClient { get; }

    public static async Task<QuickBooksRig> StartAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var azurite = await SharedAzurite.GetAsync();
        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { TimeProvider = clock, Clock = Start });
        var stripe = new StripeStandInFixture();
        await stripe.StartAsync(new StripeStandInOptions { TimeProvider = clock });
        var vault = await KeyVaultStandInServer.StartAsync(new KeyVaultStandInOptions { TimeProvider = clock });
        return new QuickBooksRig(clock, simulator, stripe, vault, azurite, azurite.UniqueName("qb"));
    }

    /// <summary>The real SecretClient on the stand-in (trusting exactly its certificate).</summary>
    public SecretClient Secrets(HttpPipelinePolicy? fault = null)
    {
#pragma warning disable CA2000 // the transport owns the handler; the rig disposes the handler with itself
        var handler = Vault.CreateHttpMessageHandler();
#pragma warning restore CA2000
        _owned.Add(handler);
        var options = new SecretClientOptions { Transport = new HttpClientTransport(handler), DisableChallengeResourceVerification = true };
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxRetries = 2;
        if (fault is not null)
        {
            options.AddPolicy(fault, HttpPipelinePosition.PerCall);
        }

        return new SecretClient(Vault.VaultUri, new StaticCredential(), options);
    }

    /// <summary>The user connects QuickBooks: its first refresh token goes into the secret (as the runbook says). Returns it.</summary>
    public async Task<string> ConnectAsync()
    {
        using var response = await Sim.PostAsync(new Uri("_sim/quickbooks/connect", UriKind.Relative), null);
        var token = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["refresh_token"]!;
        await Secrets().SetSecretAsync(Settings.RefreshTokenSecret, token);
        return token;
    }

    /// <summary>A QuickBooks connection as one app instance holds it (its own token cache).</summary>
    public QuickBooksConnection Connection()
    {
        var connection = QuickBooksConnection.Create(Settings, Outbound, _ => Secrets(), Clock, Logs.Factory);
        _owned.Add(connection);
        return connection;
    }

    public QuickBooksReconciler Reconciler(QuickBooksConnection connection) =>
        new(StripeClient, connection.Client!, Ledger, Settings, Clock, Logs.Factory.CreateLogger<QuickBooksReconciler>());

    /// <summary>A customer buys the standard plan (49.00 AUD): a paid invoice. Returns the subscription id.</summary>
    public async Task<string> PaidSubscriptionAsync()
    {
        var session = await new SessionService(StripeClient).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            CustomerEmail = "buyer@example.edu.au",
            SuccessUrl = "https://rtgf.test/done",
            LineItems = [new() { Price = "price_standard_monthly", Quantity = 1 }],
        }, new RequestOptions { IdempotencyKey = "rig-" + Azurite.UniqueName("s") });
        return (string)(await Stripe.Admin.CompleteCheckoutSessionAsync(session.Id))["subscription"]!;
    }

    public async Task<IReadOnlyList<JsonObject>> DocumentsAsync(string entity)
    {
        var body = await Sim.GetFromJsonAsync<JsonObject>(new Uri($"_sim/quickbooks/documents/{entity.ToLowerInvariant()}", UriKind.Relative));
        return [.. body![entity]!.AsArray().OfType<JsonObject>()];
    }

    public async Task<long> CallsAsync(string operation)
    {
        var calls = await Sim.GetFromJsonAsync<JsonObject>(new Uri("_sim/quickbooks/calls", UriKind.Relative));
        return calls![operation]?.GetValue<long>() ?? 0;
    }

    public async Task FaultAsync(string routePrefix, string mode, int count)
    {
        using var response = await Sim.PostAsync(new Uri("_sim/faults", UriKind.Relative), JsonContent.Create(new JsonObject { ["routePrefix"] = routePrefix, ["mode"] = mode, ["count"] = count, ["retryAfterSeconds"] = 0 }));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Sim.Dispose();
        Outbound.Dispose();
        Logs.Dispose();
        await Vault.DisposeAsync();
        await Stripe.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    private sealed class StaticCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("vault-test-token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}

/// <summary>Fails the next <see cref="Remaining"/> secret writes (PUT) before they leave, as a missing role or an outage would.</summary>
internal sealed class FailPuts(int count) : HttpPipelinePolicy
{
    private int _remaining = count;

    public int Remaining => Volatile.Read(ref _remaining);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Fail(message);
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Fail(message);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    private bool TakeOne()
    {
        for (var current = Volatile.Read(ref _remaining); current > 0; current = Volatile.Read(ref _remaining))
        {
            if (Interlocked.CompareExchange(ref _remaining, current - 1, current) == current)
            {
                return true;
            }
        }

        return false;
    }

    private void Fail(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Put && TakeOne())
        {
            throw new global::Azure.RequestFailedException(403, "Forbidden (injected): the caller is not authorized to set secrets.");
        }
    }
}

/// <summary>A logger factory that records every entry (to check that no token is ever logged).</summary>
internal sealed class TestLogs : IDisposable
{
    public TestLogs()
    {
        Factory = LoggerFactory.Create(builder => builder.AddProvider(Provider).SetMinimumLevel(LogLevel.Trace));
    }

    public RecordingLoggerProvider Provider { get; } = new();

    public ILoggerFactory Factory { get; }

    public string All => string.Join('\n', Provider.Entries.Select(e => e.Message + " " + string.Join(' ', e.State.Values)));

    public void Dispose() => Factory.Dispose();
}
