using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests;

/// <summary>
/// The one local command on the real app: the runner starts the upstream simulator and the Stripe stand-in and points
/// the worker at them, gives it an issuer key and address, and serves the app and the admin API on localhost.
/// </summary>
public sealed class SuiteTests(SuiteRunner suite) : IClassFixture<SuiteRunner>
{
    [Fact]
    public async Task Runner_StartsTheSimulatorWithTheSmallCorpusOnItsClock()
    {
        var started = await suite.WaitForAsync(e => (string?)e["event"] == "simulator", "the simulator event");

        var status = await suite.Simulator.GetFromJsonAsync<JsonObject>("_sim/status");

        Assert.Equal((true, suite.SimulatorBaseUrl!.AbsoluteUri, "small"), ((bool?)started["started"], (string?)started["url"], (string?)started["corpus"]));
        Assert.Equal("small", (string?)status!["corpus"]);
        Assert.Equal(30, (int?)status["counts"]!["rtos"]);
        var clock = DateTimeOffset.Parse((string)status["clock"]!, CultureInfo.InvariantCulture);
        var emitted = DateTimeOffset.Parse((string)started["time"]!, CultureInfo.InvariantCulture);
        Assert.InRange(clock, emitted.AddMinutes(-1), emitted);
    }

    [Fact]
    public async Task Handler_GetsUpstreamSettingsThatReachTheSimulator()
    {
        var environment = WorkerEnvironment();
        var root = suite.SimulatorBaseUrl!.AbsoluteUri;

        Assert.Equal(root + "Deewr.Tga.WebServices/", environment["Upstream__Tga__BaseUrl"]);
        Assert.Equal(("sim-user", "sim-password"), (environment["Upstream__Tga__UserName"], environment["Upstream__Tga__Password"]));
        Assert.All(new[] { "Upstream__Tga__RestBaseUrl", "Upstream__Cricos__BaseUrl", "Upstream__Teqsa__BaseUrl", "Upstream__Dfat__BaseUrl" }, name => Assert.Equal(root, environment[name]));

        // Each points at something the simulator serves, in the upstream's own format.
        using var http = new HttpClient();
        using var wsdl = await http.GetAsync(new Uri(environment["Upstream__Tga__BaseUrl"] + "TrainingComponentService.svc?wsdl"));
        using var rest = await http.GetAsync(new Uri(environment["Upstream__Tga__RestBaseUrl"] + "api/metadata"));
        using var cricos = await http.GetAsync(new Uri(environment["Upstream__Cricos__BaseUrl"] + "data/api/3/action/package_show?id=cricos"));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (wsdl.StatusCode, rest.StatusCode, cricos.StatusCode));
        Assert.Contains("wsdl:definitions", await wsdl.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_GetsStripeSettingsThatReachTheStandIn_WhichDeliversEventsToTheRunnersHooksRoute()
    {
        var environment = WorkerEnvironment();
        var stripe = new Uri((string)suite.Ready["stripe"]!);
        using var http = new HttpClient { BaseAddress = stripe };

        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(environment["Stripe__ApiBase"] + "/v1/customers"))
        {
            Content = new FormUrlEncodedContent([new("email", "runner@example.edu.au")]),
        };
        create.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", environment["Stripe__SecretKey"]);
        using var created = await http.SendAsync(create);
        var customerId = (string?)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"];
        var events = await http.GetFromJsonAsync<JsonObject>("_standin/events");
        var eventId = (string?)events!["data"]!.AsArray().Single(e => (string?)e!["data"]!["object"]!["id"] == customerId)!["id"];
        // The runner answers the delivery (whatever the webhook bus makes of it): the stand-in reached /hooks/stripe.
        var answered = await Eventually.ProbeAsync(
            async () => (await http.GetFromJsonAsync<JsonObject>("_standin/deliveries"))!["data"]!.AsArray(),
            deliveries => deliveries.Any(d => (string?)d!["event"] == eventId && d["status"] is not null),
            TimeSpan.FromSeconds(60),
            "the stand-in's delivery to the runner");

        Assert.Equal(stripe.AbsoluteUri.TrimEnd('/'), environment["Stripe__ApiBase"]);
        Assert.StartsWith("sk_test_", environment["Stripe__SecretKey"], StringComparison.Ordinal);
        Assert.StartsWith("whsec_", environment["Stripe__WebhookSecret"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.NotEmpty(answered);
        var hooks = await suite.WaitForAsync(e => (string?)e["event"] == "stripe", "the stripe event");
        Assert.Equal(new Uri(suite.HttpBaseUrl, "hooks/stripe").AbsoluteUri, (string?)hooks["webhooks"]);
    }

    [Fact]
    public async Task Checkout_OnTheRunnersApp_IsASessionOnTheStandIn()
    {
        // The app's Stripe settings are the stand-in's (the sample's own values do not override them), so a checkout
        // works offline: an API key made through /ops, then POST /v1/billing/checkout with it.
        var stripe = new Uri((string)suite.Ready["stripe"]!);
        using var issued = await suite.Http.PostAsJsonAsync("ops/api-keys", new { name = "runner checkout", owner = "runner@example.edu.au", scopes = new[] { "catalogue:read" } });
        var key = (string?)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["key"];
        using var checkout = new HttpRequestMessage(HttpMethod.Post, "v1/billing/checkout") { Content = JsonContent.Create(new { plan = "standard" }) };
        checkout.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        using var response = await suite.Http.SendAsync(checkout);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        var session = JsonNode.Parse(body)!;
        var id = (string?)session["id"];
        Assert.StartsWith("cs_", id, StringComparison.Ordinal);
        Assert.Equal(new Uri(stripe, $"_standin/checkout/{id}").AbsoluteUri, (string?)session["url"]);
    }

    [Fact]
    public async Task Handler_GetsTheGatewayAsIssuerAndAnOwnerOnlyDevelopmentKey()
    {
        var environment = WorkerEnvironment();
        var signing = await suite.WaitForAsync(e => (string?)e["event"] == "signing", "the signing event");

        var gateway = suite.HttpBaseUrl.AbsoluteUri.TrimEnd('/');
        Assert.Equal((gateway, gateway, "localhost/rtgf/log"), (environment["Rtgf__Issuer"], environment["Rtgf__PublicBaseUrl"], environment["Rtgf__LogOrigin"]));
        var keyPath = environment["Signing__DevelopmentKeyPath"];
        Assert.Equal((string?)signing["keyPath"], keyPath);
        Assert.False(keyPath.StartsWith(Tooling.RepositoryLayout.FindRoot(), StringComparison.Ordinal), "--in-memory keeps the key in the run's temporary directory");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }

        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(keyPath));
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
        Assert.DoesNotContain(suite.Events.Events, e => e.ToJsonString().Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpsFunctions_ThroughTheGateway_ListsTheCatalogueWithEverySettingResolved()
    {
        var functions = await suite.Http.GetFromJsonAsync<JsonArray>("ops/functions") ?? throw new InvalidOperationException("ops/functions answered null");

        var names = functions.Select(f => (string?)f!["name"]).ToList();
        Assert.Contains("GetFunctions", names);
        Assert.Contains("publish", names);
        Assert.All(functions, f => Assert.Empty(f!["missingSettings"]!.AsArray()));
        Assert.All(
            functions.Where(f => (string?)f!["trigger"]!["type"] != "httpTrigger"),
            f => Assert.False(string.IsNullOrEmpty((string?)f!["trigger"]!["resolvedValue"]), $"{f!["name"]}'s trigger setting is not resolved"));
    }

    [Fact]
    public async Task RunFunctionAsync_HttpOrUnknownFunction_IsRefusedWithTheReason()
    {
        var http = await suite.RunFunctionAsync("GetFunctions");
        var unknown = await suite.RunFunctionAsync("no-such-function");

        Assert.Equal(HttpStatusCode.Conflict, http.Status);
        Assert.False(http.Succeeded);
        Assert.Contains("call its route", http.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("no-such-function", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuiteRunner_OnTheTestCatalogueWithoutUpstream_RunsATimerNow()
    {
        await using var runner = await SuiteRunner.StartAsync(new SuiteRunnerOptions
        {
            AppDirectory = BuildOutput.Directory("Rtgf.FunctionsHost.TestWorker"),
            Settings = new Dictionary<string, string>
            {
                ["TICK_SCHEDULE"] = SuiteRunnerOptions.NeverInATestRun,
                ["RUNNER_TICK_SCHEDULE"] = SuiteRunnerOptions.NeverInATestRun,
                ["RUNNER_IN_QUEUE"] = "runner-in",
            },
            Arguments = ["--upstream", "none"],
        });

        var before = runner.EventCount;

        var run = await runner.RunFunctionAsync("RunnerTick");

        Assert.True(run.Succeeded, run.ToString());
        var invocation = await runner.WaitForAsync(e => (string?)e["event"] == "invocation" && (string?)e["function"] == "RunnerTick", "the tick invocation", since: before);
        Assert.DoesNotContain(runner.Events.Events.Take(before), e => (string?)e["event"] == "invocation" && (string?)e["function"] == "RunnerTick"); // its schedule is parked
        Assert.True((bool?)invocation["manual"]);
        Assert.Null(runner.SimulatorBaseUrl);
        Assert.False((bool?)(await runner.WaitForAsync(e => (string?)e["event"] == "simulator", "the simulator event"))["started"]);
        Assert.False(ReadEnvironment(runner.WorkerPid).ContainsKey("Upstream__Tga__BaseUrl"));
        Assert.False(ReadEnvironment(runner.WorkerPid).ContainsKey("Stripe__ApiBase"));
    }

    [Fact]
    public async Task SuiteRunner_WithAStripeSettingSet_KeepsItAndWarnsThatItWinsOverTheStandIns()
    {
        await using var runner = await SuiteRunner.StartAsync(new SuiteRunnerOptions
        {
            Settings = new Dictionary<string, string> { ["Stripe:SecretKey"] = "sk_test_not_the_stand_ins" },
        });

        var warning = await runner.WaitForAsync(
            e => (string?)e["event"] == "warning" && ((string?)e["message"])?.Contains("Stripe stand-in", StringComparison.Ordinal) == true, "the Stripe settings warning");
        var environment = ReadEnvironment(runner.WorkerPid);

        Assert.Equal("these settings are set, so they win over the Stripe stand-in's: Stripe__SecretKey", (string?)warning["message"]);
        Assert.Equal("sk_test_not_the_stand_ins", environment["Stripe:SecretKey"]);
        Assert.False(environment.ContainsKey("Stripe__SecretKey"));
        Assert.True(environment.ContainsKey("Stripe__ApiBase"));
        Assert.DoesNotContain(runner.Events.Events, e => e.ToJsonString().Contains("sk_test_not_the_stand_ins", StringComparison.Ordinal));
    }

    private Dictionary<string, string> WorkerEnvironment() => ReadEnvironment(suite.WorkerPid);

    // What the worker really got: its process environment as the kernel recorded it at exec.
    private static Dictionary<string, string> ReadEnvironment(int pid)
    {
        var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ";
        Assert.True(File.Exists(path), $"{path} is missing: these tests read the worker's environment from /proc (Linux)");
        return File.ReadAllText(path)
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
    }
}
