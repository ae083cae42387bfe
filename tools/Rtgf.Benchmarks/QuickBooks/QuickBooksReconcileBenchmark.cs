extern alias app;

using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using app::Rtgf.Functions.Billing;
using app::Rtgf.Functions.Billing.QuickBooks;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Benchmarks.Startup;
using Rtgf.Ingestion.Outbound;
using Rtgf.KeyVaultStandIn;
using Rtgf.StripeStandIn;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.Benchmarks.QuickBooks;

/// <summary>
/// `qb-reconcile [invoices]`: the QuickBooks reconcile in process, on the real parts the tests use: the Stripe stand-in
/// holding <c>invoices</c> paid invoices (one subscription renewed), the simulator's QuickBooks stand-in, the Key Vault
/// stand-in for the refresh token and Azurite for the ledger. Times the first run (every invoice created) and a re-run
/// (every invoice already done), and counts the QuickBooks calls per invoice from the stand-in's counters.
/// </summary>
internal static class QuickBooksReconcileBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 1 || (args.Length == 1 && (!int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)))
        {
            await Console.Error.WriteLineAsync("qb-reconcile: usage: qb-reconcile [invoices ≥ 1, default 10000]");
            return 2;
        }

        var invoices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var clock = BenchClock.System;
        var root = RepositoryLayout.FindRoot();
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(root));
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { TimeProvider = clock, Clock = clock.GetUtcNow() });
        await using var stripe = await StripeStandInServer.StartAsync(new StripeStandInOptions { TimeProvider = clock });
        await using var vault = await KeyVaultStandInServer.StartAsync(new KeyVaultStandInOptions { TimeProvider = clock });
        using var outbound = new OutboundHttpClientFactory(clock, NullLoggerFactory.Instance);
        using var sim = new HttpClient { BaseAddress = simulator.BaseAddress };
        using var vaultHandler = vault.CreateHttpMessageHandler();
        var secrets = new SecretClient(vault.VaultUri, new BenchCredential(), new SecretClientOptions { Transport = new HttpClientTransport(vaultHandler), DisableChallengeResourceVerification = true });

        var stripeClient = StripeConnection.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Stripe:ApiBase"] = stripe.BaseAddress.AbsoluteUri.TrimEnd('/'),
                ["Stripe:SecretKey"] = stripe.Options.SecretKey,
                ["Stripe:RetryDelayMilliseconds"] = "0",
            }).Build(),
            outbound).Client!;
        var seeding = clock.GetTimestamp();
        await SeedAsync(stripe, stripeClient, invoices);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {invoices} paid invoices in the Stripe stand-in in {clock.GetElapsedTime(seeding).TotalSeconds:F1} s"));
        // A run reads payments created before its start, in Stripe's whole seconds: let the last second pass.
        await Task.Delay(TimeSpan.FromSeconds(1.1), clock);

        using var connect = await sim.PostAsync(new Uri("_sim/quickbooks/connect", UriKind.Relative), null);
        await secrets.SetSecretAsync("quickbooks-refresh-token", (string)JsonNode.Parse(await connect.Content.ReadAsStringAsync())!["refresh_token"]!);
        var settings = new QuickBooksSettings
        {
            ClientId = "sim-qb-client",
            ClientSecret = "sim-qb-secret",
            RealmId = "9341453050298815",
            KeyVaultUri = vault.VaultUri,
            ApiBase = simulator.BaseAddress,
            TokenUrl = new Uri($"http://localhost:{simulator.BaseAddress.Port}/oauth2/v1/tokens/bearer"),
            RetryDelay = TimeSpan.Zero,
        };
        using var connection = QuickBooksConnection.Create(settings, outbound, _ => secrets, clock, NullLoggerFactory.Instance);
        var ledger = new ReceiptLedger(() => new TableServiceClient(azurite.ConnectionString), "bench");
        var reconciler = new QuickBooksReconciler(stripeClient, connection.Client!, ledger, settings, clock, NullLogger.Instance);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"QuickBooks reconcile of {invoices} paid invoices ({RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} cores; load average {LoadAverage()}):"));
        foreach (var pass in new[] { "first run", "re-run" })
        {
            var before = await CallsAsync(sim);
            var started = clock.GetTimestamp();
            var run = await reconciler.RunAsync(CancellationToken.None);
            var elapsed = clock.GetElapsedTime(started);
            var calls = await CallsAsync(sim) - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {pass}: {elapsed.TotalSeconds:F1} s ({run.Seen / elapsed.TotalSeconds:F0} invoices/s); created {run.Created}, recovered {run.Recovered}, already done {run.AlreadyDone}, failed {run.Failed}; {calls} QuickBooks calls = {(double)calls / invoices:F3} per invoice"));
        }

        var documents = (await sim.GetFromJsonAsync<JsonObject>(new Uri("_sim/quickbooks/documents/salesreceipt", UriKind.Relative)))!["SalesReceipt"]!.AsArray().Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  QuickBooks holds {documents} sales receipts"));
        return documents == invoices ? 0 : 1;
    }

    private static async Task SeedAsync(StripeStandInServer stripe, StripeClient client, int invoices)
    {
        using var http = new HttpClient { BaseAddress = stripe.BaseAddress };
        var admin = new StripeStandInAdmin(http);
        var session = await new SessionService(client).CreateAsync(
            new SessionCreateOptions { Mode = "subscription", CustomerEmail = "bench@example.edu.au", SuccessUrl = "https://rtgf.test/done", LineItems = [new() { Price = "price_standard_monthly", Quantity = 1 }] },
            new RequestOptions { IdempotencyKey = "bench-session" });
        var subscription = (string)(await admin.CompleteCheckoutSessionAsync(session.Id))["subscription"]!;
        for (var i = 1; i < invoices; i++)
        {
            await admin.AdvancePeriodAsync(subscription);
        }
    }

    /// <summary>Every QuickBooks API and token call the stand-in has answered.</summary>
    private static async Task<long> CallsAsync(HttpClient sim)
    {
        var calls = await sim.GetFromJsonAsync<JsonObject>(new Uri("_sim/quickbooks/calls", UriKind.Relative));
        return calls!.Sum(c => c.Value!.GetValue<long>());
    }

    private static string LoadAverage() =>
        System.IO.File.Exists("/proc/loadavg") ? string.Join(' ', System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class BenchCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("bench", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
