using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Testing;
using Rtgf.UpstreamSimulator.Enrichment;

namespace Rtgf.UpstreamSimulator.Tests.Enrichment;

/// <summary>The geocoder (Google's format, rate limit, daily quota, key) and the docs and trust proxies over the small world.</summary>
public sealed class EnrichmentSimulatorTests
{
    private const string Key = SimulatorOptions.DefaultGeocoderApiKey;

    [Fact]
    public async Task Geocode_AnRtoHeadOffice_AnswersOkWithADeterministicPointInAustralia_AnUnknownAddressIsZeroResults()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var rto = server.World.Rtos[0];
        var query = EnrichmentEndpoints.QueryOf(rto.Address);

        var first = await GeocodeAsync(http, query);
        var again = await GeocodeAsync(http, query.ToUpperInvariant().Replace(",", " ,", StringComparison.Ordinal));
        var unknown = await GeocodeAsync(http, "1 Nowhere Street, Atlantis ZZ 0000");

        Assert.Equal("OK", (string)first["status"]!);
        var result = first["results"]![0]!;
        Assert.Equal(query + ", Australia", (string)result["formatted_address"]!);
        var lat = (decimal)result["geometry"]!["location"]!["lat"]!;
        var lng = (decimal)result["geometry"]!["location"]!["lng"]!;
        Assert.InRange(lat, -43.6m, -10.7m);
        Assert.InRange(lng, 113.3m, 153.6m);
        Assert.Equal(result.ToJsonString(), again["results"]![0]!.ToJsonString());
        Assert.Equal("ZERO_RESULTS", (string)unknown["status"]!);
        Assert.Empty(unknown["results"]!.AsArray());
        var stats = await StatsAsync(http);
        Assert.Equal((3, 2, 1), ((int)stats["requests"]!, (int)stats["addresses"]!, (int)stats["repeats"]!));
    }

    [Fact]
    public async Task Geocode_WrongKey_IsRequestDenied_MissingAddressIsInvalidRequest_NeitherIsAnswered()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var denied = JsonNode.Parse(await http.GetStringAsync("maps/api/geocode/json?address=1+George+St&key=wrong"))!;
        var invalid = JsonNode.Parse(await http.GetStringAsync("maps/api/geocode/json?address=&key=" + Key))!;

        Assert.Equal("REQUEST_DENIED", (string)denied["status"]!);
        Assert.False(string.IsNullOrEmpty((string)denied["error_message"]!));
        Assert.Equal("INVALID_REQUEST", (string)invalid["status"]!);
        Assert.Equal(0, (int)(await StatsAsync(http))["answered"]!);
    }

    [Fact]
    public async Task Geocode_OverTheRateLimitInOneSecond_IsOverQueryLimitAndAViolation_TheNextSecondIsAnsweredAgain()
    {
        var time = new ManualTimeProvider(Simulators.Start);
        await using var server = await Simulators.SmallAsync(time);
        using var http = Simulators.Client(server);
        await ConfigureAsync(http, new JsonObject { ["requestsPerSecond"] = 3 });
        var query = EnrichmentEndpoints.QueryOf(server.World.Rtos[1].Address);

        var statuses = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((string)(await GeocodeAsync(http, query))["status"]!);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        statuses.Add((string)(await GeocodeAsync(http, query))["status"]!);

        Assert.Equal(["OK", "OK", "OK", "OVER_QUERY_LIMIT", "OK"], statuses);
        var stats = await StatsAsync(http);
        Assert.Equal((1, 3), ((int)stats["violations"]!, (int)stats["peakPerSecond"]!));
    }

    [Fact]
    public async Task Geocode_DailyQuotaSpent_IsOverDailyLimit_UntilLifted()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var query = EnrichmentEndpoints.QueryOf(server.World.Rtos[2].Address);
        await ConfigureAsync(http, new JsonObject { ["dailyQuota"] = 1 });

        var first = await GeocodeAsync(http, query);
        var spent = await GeocodeAsync(http, query);
        await ConfigureAsync(http, new JsonObject { ["dailyQuota"] = null });
        var lifted = await GeocodeAsync(http, query);

        Assert.Equal(["OK", "OVER_DAILY_LIMIT", "OK"], new[] { first, spent, lifted }.Select(a => (string)a["status"]!));
        Assert.Equal(1, (int)(await StatsAsync(http))["quotaRefusals"]!);
        using var bad = await http.PostAsJsonAsync("_sim/geocoder", new JsonObject { ["requestsPerSecond"] = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Geocode_DailyQuotaStatusOverQueryLimit_AnswersAsTheRealApiDoes()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var query = EnrichmentEndpoints.QueryOf(server.World.Rtos[2].Address);
        await ConfigureAsync(http, new JsonObject { ["dailyQuota"] = 0, ["dailyQuotaStatus"] = "OVER_QUERY_LIMIT" });

        var spent = await GeocodeAsync(http, query);

        Assert.Equal(("OVER_QUERY_LIMIT", "You have exceeded your daily request quota for this API."), ((string)spent["status"]!, (string)spent["error_message"]!));
        var stats = await StatsAsync(http);
        Assert.Equal((1, 0), ((int)stats["quotaRefusals"]!, (int)stats["violations"]!));
        using var bad = await http.PostAsJsonAsync("_sim/geocoder", new JsonObject { ["dailyQuotaStatus"] = "NOPE" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task DocsAndTrust_ForAnRtoWebsite_ServeTheContract_UnknownSiteIs404_MissingUrlIs400_FaultsApply()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var rto = server.World.Rtos.First(r => !(BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(r.Code)), 0) % 11 == 0));
        var site = new Uri(rto.Website).AbsoluteUri;

        var page = JsonNode.Parse(await http.GetStringAsync("docs-proxy/v1/page?url=" + Uri.EscapeDataString(site)))!;
        var signals = JsonNode.Parse(await http.GetStringAsync("trust-proxy/v1/signals?url=" + Uri.EscapeDataString(site)))!;
        using var unknown = await http.GetAsync("docs-proxy/v1/page?url=" + Uri.EscapeDataString("https://nowhere.example/"));
        using var missing = await http.GetAsync("trust-proxy/v1/signals");
        await ConfigureFaultAsync(http, "/trust-proxy/");
        using var faulted = await http.GetAsync("trust-proxy/v1/signals?url=" + Uri.EscapeDataString(site));

        Assert.Equal(site, (string)page["url"]!);
        Assert.Equal(rto.TradingName, (string)page["title"]!);
        Assert.StartsWith("sha256:", (string)page["contentHash"]!, StringComparison.Ordinal);
        Assert.Equal(2, page["documents"]!.AsArray().Count);
        Assert.Equal(site, (string)signals["url"]!);
        Assert.Equal(new Uri(rto.Website).Host, (string)signals["host"]!);
        Assert.True((bool)signals["https"]!);
        Assert.True(signals["abnOnPage"] is null || (string)signals["abnOnPage"]! == rto.Abn);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
    }

    private static async Task<JsonNode> GeocodeAsync(HttpClient http, string address) =>
        JsonNode.Parse(await http.GetStringAsync($"maps/api/geocode/json?address={Uri.EscapeDataString(address)}&components=country:AU&key={Key}"))!;

    private static async Task<JsonNode> StatsAsync(HttpClient http) => JsonNode.Parse(await http.GetStringAsync("_sim/geocoder"))!;

    private static async Task ConfigureAsync(HttpClient http, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync("_sim/geocoder", body);
        response.EnsureSuccessStatusCode();
    }

    private static async Task ConfigureFaultAsync(HttpClient http, string route)
    {
        using var response = await http.PostAsJsonAsync("_sim/faults", new JsonObject { ["routePrefix"] = route, ["mode"] = "unavailable", ["count"] = 1 });
        response.EnsureSuccessStatusCode();
    }
}
