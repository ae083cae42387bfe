using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rtgf.Ingestion.Enrichment;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Testing;
using Rtgf.UpstreamSimulator;
using Rtgf.UpstreamSimulator.Enrichment;

namespace Rtgf.Ingestion.Tests.Enrichment;

/// <summary>The geocoder, docs and trust proxy clients through the real outbound pipeline against the simulator.</summary>
public sealed class EnrichmentClientsTests : IAsyncLifetime, IDisposable
{
    private const string Key = "the-secret-geocoder-key-42";
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingLoggerProvider _logs = new();
    private SimulatorServer _server = null!;
    private ILoggerFactory _loggers = null!;
    private OutboundHttpClientFactory _factory = null!;
    private HttpClient _admin = null!;
    private readonly List<HttpClient> _clients = [];

    public async Task InitializeAsync()
    {
        _server = await SimulatorServer.StartAsync(new SimulatorOptions { TimeProvider = _time, GeocoderApiKey = Key });
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _factory = new OutboundHttpClientFactory(_time, _loggers);
        _admin = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _factory?.Dispose();
        _loggers?.Dispose();
        _logs.Dispose();
        _admin?.Dispose();
    }

    [Fact]
    public async Task Geocode_AnRtoAddress_IsFound_AnUnknownOneIsNoResult_TheKeyIsInNoLogLine()
    {
        var geocoder = Geocoder(Key);
        var address = EnrichmentEndpoints.QueryOf(_server.World.Rtos[0].Address);

        var found = await geocoder.GeocodeAsync(address);
        var none = await geocoder.GeocodeAsync("1 Nowhere Street, Atlantis ZZ 0000");

        Assert.True(found.Found);
        Assert.Equal(address + ", Australia", found.FormattedAddress);
        Assert.InRange(found.Latitude!.Value, -43.6m, -10.7m);
        Assert.False(string.IsNullOrEmpty(found.PlaceId));
        Assert.Same(GeocodeResult.NotFound, none);
        var lines = _logs.Entries.Where(e => e.Category == "Rtgf.Outbound").ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, e => Assert.Equal(GeocoderClient.Operation, e.State["Operation"]));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Key, StringComparison.Ordinal) || e.State.Values.Any(v => v?.ToString()?.Contains(Key, StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Geocode_WrongKey_IsAQuotaError_DailyLimitToo_NeitherMessageHoldsTheKey()
    {
        var address = EnrichmentEndpoints.QueryOf(_server.World.Rtos[1].Address);

        var denied = await Assert.ThrowsAsync<GeocoderQuotaException>(() => Geocoder("wrong-" + Key).GeocodeAsync(address));
        await PostAsync(new JsonObject { ["dailyQuota"] = 0 });
        var spent = await Assert.ThrowsAsync<GeocoderQuotaException>(() => Geocoder(Key).GeocodeAsync(address));

        Assert.Equal(("REQUEST_DENIED", "OVER_DAILY_LIMIT"), (denied.Status, spent.Status));
        Assert.DoesNotContain(Key, denied.Message, StringComparison.Ordinal);
        Assert.Contains("OVER_DAILY_LIMIT", spent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Geocode_OverQueryLimitForTheDailyQuota_IsAQuotaError_NotRetried()
    {
        await PostAsync(new JsonObject { ["dailyQuota"] = 0, ["dailyQuotaStatus"] = "OVER_QUERY_LIMIT" });
        var address = EnrichmentEndpoints.QueryOf(_server.World.Rtos[1].Address);

        // (No busy retries: were it taken for the rate limit, it would be a GeocoderBusyException at once.)
        var client = new GeocoderClient(Client("geocoder", _server.BaseAddress), Key, _time) { MaxBusyRetries = 0 };
        var spent = await Assert.ThrowsAsync<GeocoderQuotaException>(() => client.GeocodeAsync(address));

        Assert.Equal("OVER_QUERY_LIMIT", spent.Status);
        Assert.Contains("daily request quota", spent.Message, StringComparison.Ordinal);
        Assert.Equal(1, (int)JsonNode.Parse(await _admin.GetStringAsync("_sim/geocoder"))!["requests"]!);
    }

    [Fact]
    public async Task Geocode_OverQueryLimit_IsRetriedWithBackoff_SucceedsOnceTheSecondPasses_GivesUpAsBusyWhenItDoesNot()
    {
        await PostAsync(new JsonObject { ["requestsPerSecond"] = 1 });
        var address = EnrichmentEndpoints.QueryOf(_server.World.Rtos[2].Address);
        Assert.True((await Geocoder(Key).GeocodeAsync(address)).Found);

        // The simulator shares the manual clock: a 1 s backoff moves past its second, so the retry is answered.
        var retried = await Wait.DriveAsync(Geocoder(Key).GeocodeAsync(address), _time, TimeSpan.FromSeconds(1));
        // Backoffs of a millisecond stay inside the second: every retry is refused, then the client gives up.
        var busy = new GeocoderClient(Client("geocoder", _server.BaseAddress), Key, _time) { MaxBusyRetries = 2, BusyBaseDelay = TimeSpan.FromMilliseconds(1) };
        var refused = await Assert.ThrowsAsync<GeocoderBusyException>(() => Wait.DriveAsync(busy.GeocodeAsync(address), _time, TimeSpan.FromMilliseconds(1)));

        Assert.True(retried.Found);
        Assert.Contains("OVER_QUERY_LIMIT 3 times", refused.Message, StringComparison.Ordinal);
        var stats = JsonNode.Parse(await _admin.GetStringAsync("_sim/geocoder"))!;
        Assert.Equal(4, (int)stats["violations"]!); // one before the retry that succeeded, three for the busy client
    }

    [Fact]
    public async Task Proxies_ServeTheContract_AnUnknownSiteIsUnavailable_AMalformedAnswerIsRefused()
    {
        var docs = new DocsProxyClient(Client("docs-proxy", new Uri(_server.BaseAddress, "docs-proxy/")));
        var trust = new TrustProxyClient(Client("trust-proxy", new Uri(_server.BaseAddress, "trust-proxy/")));
        var rto = _server.World.Rtos[0];
        var site = new Uri(rto.Website);

        var page = await docs.GetPageAsync(site);
        var signals = await trust.GetSignalsAsync(site);
        var unknown = await docs.GetPageAsync(new Uri("https://nowhere.example/"));
        using (var fault = await _admin.PostAsJsonAsync("_sim/faults", new JsonObject { ["routePrefix"] = "/trust-proxy/", ["mode"] = "malformed", ["count"] = 1 }))
        {
            fault.EnsureSuccessStatusCode();
        }

        await Assert.ThrowsAsync<UpstreamFormatException>(() => trust.GetSignalsAsync(site));

        Assert.Equal(site.AbsoluteUri, page.Url);
        Assert.True(page.Available || page.Status == 502);
        Assert.Equal(new Uri(rto.Website).Host, signals.Host);
        Assert.True(signals.Https);
        Assert.False(unknown.Available);
        Assert.Equal(404, unknown.Status);
    }

    [Fact]
    public void Parse_RefusesAnswersWithoutTheDocumentedShape()
    {
        static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
        var site = new Uri("https://www.example.edu.au/");

        Assert.Throws<UpstreamFormatException>(() => GeocoderClient.Parse(Bytes("{\"results\":[]}")));
        Assert.Throws<UpstreamFormatException>(() => GeocoderClient.Parse(Bytes("{\"status\":\"OK\",\"results\":[]}")));
        Assert.Throws<UpstreamFormatException>(() => GeocoderClient.Parse(Bytes("{\"status\":\"OK\",\"results\":[{\"formatted_address\":\"x\",\"place_id\":\"p\",\"geometry\":{\"location\":{\"lat\":\"-33\",\"lng\":151},\"location_type\":\"ROOFTOP\"}}]}")));
        Assert.Throws<UpstreamFormatException>(() => GeocoderClient.Parse(Bytes("{\"status\":\"OK\",\"results\":[{\"formatted_address\":\"x\",\"place_id\":\"p\",\"geometry\":{\"location\":{\"lat\":-133,\"lng\":151},\"location_type\":\"ROOFTOP\"}}]}")));
        Assert.Throws<UpstreamFormatException>(() => DocsProxyClient.Parse(Bytes("{\"url\":\"https://other.example/\",\"finalUrl\":\"x\",\"status\":200,\"documents\":[]}"), site));
        Assert.Throws<UpstreamFormatException>(() => DocsProxyClient.Parse(Bytes("{\"url\":\"https://www.example.edu.au/\",\"finalUrl\":\"x\",\"status\":200,\"documents\":[{\"url\":\"javascript:alert(1)\"}]}"), site));
        Assert.Throws<UpstreamFormatException>(() => TrustProxyClient.Parse(Bytes("{\"url\":\"https://www.example.edu.au/\",\"host\":\"h\",\"https\":true,\"hsts\":false,\"securityTxt\":false,\"abnOnPage\":\"123\"}"), site));
        var ok = GeocoderClient.Parse(Bytes("{\"status\":\"OK\",\"results\":[{\"formatted_address\":\"x\",\"place_id\":\"p\",\"partial_match\":true,\"geometry\":{\"location\":{\"lat\":-33.8688197,\"lng\":151.2092955},\"location_type\":\"ROOFTOP\"}}]}"));
        Assert.Equal((-33.8688197m, 151.2092955m, true), (ok.Result!.Latitude!.Value, ok.Result.Longitude!.Value, ok.Result.PartialMatch));
    }

    [Theory]
    [InlineData("03/04/2026")]
    [InlineData("2026-01-31")]
    [InlineData("2026-01-31T00:00:00")]
    [InlineData("Sat, 31 Jan 2026 00:00:00 GMT")]
    public void Parse_LastModifiedNotIsoWithZoneOrOffset_IsRefused(string text)
    {
        var site = new Uri("https://www.example.edu.au/");
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"url\":\"https://www.example.edu.au/\",\"finalUrl\":\"https://www.example.edu.au/\",\"status\":200,\"lastModified\":\"{text}\",\"documents\":[]}}");

        var refused = Assert.Throws<UpstreamFormatException>(() => DocsProxyClient.Parse(body, site));

        Assert.Contains("lastModified", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-31T10:00:00+10:00")]
    [InlineData("2026-01-31T00:00:00Z")]
    [InlineData("2026-01-31T00:00:00.000Z")]
    public void Parse_LastModifiedIsoWithZoneOrOffset_IsTheInstant(string text)
    {
        var site = new Uri("https://www.example.edu.au/");
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"url\":\"https://www.example.edu.au/\",\"finalUrl\":\"https://www.example.edu.au/\",\"status\":200,\"lastModified\":\"{text}\",\"documents\":[]}}");

        Assert.Equal(new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero), DocsProxyClient.Parse(body, site).LastModified);
    }

    [Fact]
    public void Parse_StatusOverflow_IsRefused_LongTextIsClipped_LongUrlIsRefused()
    {
        static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
        var site = new Uri("https://www.example.edu.au/");
        var title = new string('t', 5000);
        var longUrl = "https://www.example.edu.au/" + new string('a', 3000);

        var overflow = Assert.Throws<UpstreamFormatException>(() => DocsProxyClient.Parse(Bytes("{\"url\":\"https://www.example.edu.au/\",\"finalUrl\":\"x\",\"status\":99999999999,\"documents\":[]}"), site));
        var clipped = DocsProxyClient.Parse(Bytes($"{{\"url\":\"https://www.example.edu.au/\",\"finalUrl\":\"x\",\"status\":200,\"title\":\"{title}\",\"documents\":[{{\"url\":\"https://www.example.edu.au/a.pdf\",\"title\":\"{title}\"}}]}}"), site);
        Assert.Throws<UpstreamFormatException>(() => DocsProxyClient.Parse(Bytes($"{{\"url\":\"https://www.example.edu.au/\",\"finalUrl\":\"x\",\"status\":200,\"documents\":[{{\"url\":\"{longUrl}\"}}]}}"), site));

        Assert.Contains("status", overflow.Message, StringComparison.Ordinal);
        Assert.Equal(500, clipped.Title!.Length);
        Assert.EndsWith("…", clipped.Title, StringComparison.Ordinal);
        Assert.Equal(500, clipped.Documents![0].Title!.Length);
    }

    private GeocoderClient Geocoder(string key) => new(Client("geocoder", _server.BaseAddress), key, _time);

    private HttpClient Client(string name, Uri baseAddress)
    {
        var client = _factory.CreateClient(new OutboundOptions
        {
            Name = name,
            BaseAddress = baseAddress,
            AttemptTimeout = null,
            TotalTimeout = null,
            MaxRetries = 0,
            RateLimitPermits = null,
            MaxConcurrency = null,
            BreakerFailureThreshold = 0,
        });
        _clients.Add(client);
        return client;
    }

    private async Task PostAsync(JsonObject body)
    {
        using var response = await _admin.PostAsJsonAsync("_sim/geocoder", body);
        response.EnsureSuccessStatusCode();
    }
}
