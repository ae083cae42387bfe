using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Rtgf.LocalRunner.Hosting;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests.Hosting;

public sealed class LocalStripeTests
{
    [Theory]
    [InlineData("", "http://localhost:7071/hooks/stripe")]
    [InlineData("api", "http://localhost:7071/api/hooks/stripe")]
    public void Hooks_IsTheRunnersOwnStripeWebhookRoute(string routePrefix, string expected)
    {
        Assert.Equal(new Uri(expected), LocalStripe.Hooks(7071, routePrefix));
    }

    [Fact]
    public async Task StartAsync_ServesStripeWithTheSettingsItGivesTheApp_AndRunScopedIds()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));

        await using var stripe = await LocalStripe.StartAsync(LocalStripe.Hooks(7071, ""), clock, CancellationToken.None);
        var settings = LocalStripe.Settings(stripe).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(settings["Stripe__ApiBase"] + "/") };
        using var create = new HttpRequestMessage(HttpMethod.Post, "v1/customers") { Content = new FormUrlEncodedContent([new("email", "dev@example.edu.au")]) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings["Stripe__SecretKey"]);
        using var response = await http.SendAsync(create);
        var customer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(["Stripe__ApiBase", "Stripe__SecretKey", "Stripe__WebhookSecret"], settings.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("http://127.0.0.1:", settings["Stripe__ApiBase"], StringComparison.Ordinal);
        Assert.StartsWith("sk_test_", settings["Stripe__SecretKey"], StringComparison.Ordinal);
        Assert.StartsWith("whsec_", settings["Stripe__WebhookSecret"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"cus_{clock.GetUtcNow().ToUnixTimeSeconds():x}0000000001", (string?)customer["id"]);
    }

    [Fact]
    public async Task TheRepositorySample_LeavesEveryStripeSettingToTheStandIn()
    {
        // A Stripe value in the sample (say a placeholder secret key) would win over the stand-in's, and the stand-in
        // refuses every key but its own: each local checkout would fail.
        await using var stripe = await LocalStripe.StartAsync(LocalStripe.Hooks(7071, ""), new ManualTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero)), CancellationToken.None);
        var sample = LocalSettings.Load(Path.Combine(Rtgf.Tooling.RepositoryLayout.FindRoot(), "local.settings.sample.json"));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);

        var applied = SettingDefaults.Apply(environment, sample, LocalStripe.Settings(stripe));

        Assert.Equal(["Stripe__ApiBase", "Stripe__SecretKey", "Stripe__WebhookSecret"], applied.Order(StringComparer.Ordinal));
        Assert.Equal(LocalStripe.SecretKey, environment["Stripe__SecretKey"]);
        Assert.DoesNotContain(sample.Values.Keys, name => name.StartsWith("Stripe", StringComparison.OrdinalIgnoreCase));
    }
}
