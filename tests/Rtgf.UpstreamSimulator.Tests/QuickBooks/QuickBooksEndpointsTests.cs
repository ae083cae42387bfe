using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Testing;

namespace Rtgf.UpstreamSimulator.Tests.QuickBooks;

public sealed class QuickBooksEndpointsTests
{
    private const string Realm = "9341453050298815";

    [Fact]
    public async Task Refresh_RotatesTheRefreshToken_AndTheUsedOneIsInvalidGrant()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var first = await ConnectAsync(http);

        using var ok = await RefreshAsync(http, first);
        var tokens = JsonNode.Parse(await ok.Content.ReadAsStringAsync())!;
        using var again = await RefreshAsync(http, first);
        using var next = await RefreshAsync(http, (string)tokens["refresh_token"]!);
        using var badClient = await RefreshAsync(http, (string)tokens["refresh_token"]!, "sim-qb-client:wrong");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True(ok.Headers.Contains("intuit_tid"));
        Assert.Equal("bearer", (string?)tokens["token_type"]);
        Assert.Equal(3600, (int)tokens["expires_in"]!);
        Assert.Equal(8_726_400, (int)tokens["x_refresh_token_expires_in"]!);
        Assert.NotEqual(first, (string?)tokens["refresh_token"]);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("invalid_grant", (string?)JsonNode.Parse(await again.Content.ReadAsStringAsync())!["error"]);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badClient.StatusCode);
        Assert.Equal("invalid_client", (string?)JsonNode.Parse(await badClient.Content.ReadAsStringAsync())!["error"]);
    }

    [Fact]
    public async Task Create_SameRequestId_SameAnswer_OneDocument()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var access = await AccessTokenAsync(http);

        using var first = await CreateAsync(http, access, "salesreceipt", Receipt("S1"), "rtgf-sr-in_1");
        using var second = await CreateAsync(http, access, "salesreceipt", Receipt("S1"), "rtgf-sr-in_1");
        using var other = await CreateAsync(http, access, "salesreceipt", Receipt("S2"), "rtgf-sr-in_2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadAsStringAsync();
        Assert.Equal(body, await second.Content.ReadAsStringAsync());
        var created = JsonNode.Parse(body)!["SalesReceipt"]!;
        Assert.Equal("S1", (string?)created["DocNumber"]);
        Assert.Equal(12.5m, (decimal)created["TotalAmt"]!);
        Assert.Equal("0", (string?)created["SyncToken"]);
        Assert.Equal(2, server.QuickBooks.Documents("SalesReceipt").Count);
        using var read = await SendAsync(http, access, HttpMethod.Get, $"v3/company/{Realm}/salesreceipt/{(string)created["Id"]!}?minorversion=75");
        Assert.Equal("S1", (string?)JsonNode.Parse(await read.Content.ReadAsStringAsync())!["SalesReceipt"]!["DocNumber"]);
    }

    [Fact]
    public async Task Create_RefusesWhatQuickBooksRefuses_InTheFaultEnvelope()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var access = await AccessTokenAsync(http);

        using var longNumber = await CreateAsync(http, access, "salesreceipt", Receipt(new string('9', 22)), "r1");
        using var noAccount = await CreateAsync(http, access, "refundreceipt", Receipt("R1"), "r2");
        using var missing = await SendAsync(http, access, HttpMethod.Get, $"v3/company/{Realm}/salesreceipt/999");

        var fault = JsonNode.Parse(await longNumber.Content.ReadAsStringAsync())!["Fault"]!;
        Assert.Equal(HttpStatusCode.BadRequest, longNumber.StatusCode);
        Assert.Equal("ValidationFault", (string?)fault["type"]);
        Assert.Equal("2050", (string?)fault["Error"]![0]!["code"]);
        Assert.Equal("DocNumber", (string?)fault["Error"]![0]!["element"]);
        Assert.Equal("DepositToAccountRef", (string?)JsonNode.Parse(await noAccount.Content.ReadAsStringAsync())!["Fault"]!["Error"]![0]!["element"]);
        Assert.Equal("610", (string?)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["Fault"]!["Error"]![0]!["code"]);
        Assert.Empty(server.QuickBooks.Documents("SalesReceipt"));
        Assert.Empty(server.QuickBooks.Documents("RefundReceipt"));
    }

    [Fact]
    public async Task ExpiredAccessToken_Is401InTheAuthenticationFaultShape()
    {
        var clock = new ManualTimeProvider(Simulators.Start);
        await using var server = await Simulators.SmallAsync(clock);
        using var http = Simulators.Client(server);
        var access = await AccessTokenAsync(http);
        using var before = await SendAsync(http, access, HttpMethod.Get, $"v3/company/{Realm}/query?query=select%20*%20from%20SalesReceipt");

        clock.Advance(TimeSpan.FromSeconds(3600));
        using var after = await SendAsync(http, access, HttpMethod.Get, $"v3/company/{Realm}/query?query=select%20*%20from%20SalesReceipt");
        var refreshed = await AccessTokenAsync(http);
        (await http.PostAsync("_sim/quickbooks/expire-access-tokens", null)).Dispose();
        using var expired = await SendAsync(http, refreshed, HttpMethod.Get, $"v3/company/{Realm}/query?query=select%20*%20from%20SalesReceipt");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.True(after.Headers.Contains("intuit_tid"));
        var fault = JsonNode.Parse(await after.Content.ReadAsStringAsync())!["fault"]!;
        Assert.Equal("AUTHENTICATION", (string?)fault["type"]);
        Assert.Equal("3200", (string?)fault["error"]![0]!["code"]);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task Query_FiltersCountsAndPages_AndRefusesWhatItCannotParse()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var access = await AccessTokenAsync(http);
        for (var i = 1; i <= 3; i++)
        {
            (await CreateAsync(http, access, "salesreceipt", Receipt("S" + i), "q" + i)).Dispose();
        }

        var byNumber = await QueryAsync(http, access, "select * from SalesReceipt where DocNumber = 'S2'");
        var count = await QueryAsync(http, access, "select count(*) from SalesReceipt where TxnDate = '2025-07-01'");
        var page = await QueryAsync(http, access, "select * from SalesReceipt startposition 2 maxresults 1");
        var none = await QueryAsync(http, access, "select * from RefundReceipt");
        using var bad = await SendAsync(http, access, HttpMethod.Post, $"v3/company/{Realm}/query", new StringContent("select everything", Encoding.UTF8, "application/text"));

        Assert.Equal("S2", (string?)byNumber["QueryResponse"]!["SalesReceipt"]!.AsArray().Single()!["DocNumber"]);
        Assert.Equal(3, (int)count["QueryResponse"]!["totalCount"]!);
        Assert.Equal("S2", (string?)page["QueryResponse"]!["SalesReceipt"]!.AsArray().Single()!["DocNumber"]);
        Assert.Equal(2, (int)page["QueryResponse"]!["startPosition"]!);
        Assert.Empty(none["QueryResponse"]!.AsObject());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("4000", (string?)JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["Fault"]!["Error"]![0]!["code"]);
        var calls = JsonNode.Parse(await http.GetStringAsync("_sim/quickbooks/calls"))!;
        Assert.Equal(3, (int)calls["POST salesreceipt"]!);
        Assert.Equal(4, (int)calls["GET query"]!);
        Assert.Equal(1, (int)calls["POST query"]!);
    }

    [Theory]
    [InlineData("/v3/", "429", HttpStatusCode.TooManyRequests)]
    [InlineData("/v3/", "500", HttpStatusCode.InternalServerError)]
    [InlineData("/oauth2/", "503", HttpStatusCode.ServiceUnavailable)]
    public async Task TheFaultBoard_AppliesToQuickBooksPaths(string prefix, string mode, HttpStatusCode expected)
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var access = await AccessTokenAsync(http);
        (await http.PostAsync("_sim/faults", new StringContent($$"""{"routePrefix":"{{prefix}}","mode":"{{mode}}","count":1}"""))).Dispose();

        using var faulted = prefix == "/v3/"
            ? await CreateAsync(http, access, "salesreceipt", Receipt("F1"), "f1")
            : await RefreshAsync(http, await ConnectAsync(http));

        Assert.Equal(expected, faulted.StatusCode);
        Assert.Empty(server.QuickBooks.Documents("SalesReceipt"));
    }

    internal static JsonObject Receipt(string docNumber) => new()
    {
        ["DocNumber"] = docNumber,
        ["TxnDate"] = "2025-07-01",
        ["PrivateNote"] = "stripe:in_test",
        ["Line"] = new JsonArray(new JsonObject
        {
            ["Amount"] = 12.5m,
            ["DetailType"] = "SalesItemLineDetail",
            ["SalesItemLineDetail"] = new JsonObject { ["ItemRef"] = new JsonObject { ["value"] = "1" } },
        }),
    };

    private static async Task<string> ConnectAsync(HttpClient http)
    {
        using var response = await http.PostAsync("_sim/quickbooks/connect", null);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["refresh_token"]!;
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient http, string refreshToken, string credentials = "sim-qb-client:sim-qb-secret")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "oauth2/v1/tokens/bearer")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http.SendAsync(request);
    }

    private static async Task<string> AccessTokenAsync(HttpClient http)
    {
        using var response = await RefreshAsync(http, await ConnectAsync(http));
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient http, string access, string entity, JsonObject document, string requestId) =>
        SendAsync(http, access, HttpMethod.Post, $"v3/company/{Realm}/{entity}?requestid={requestId}&minorversion=75", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));

    private static async Task<JsonNode> QueryAsync(HttpClient http, string access, string query)
    {
        using var response = await SendAsync(http, access, HttpMethod.Get, $"v3/company/{Realm}/query?query={Uri.EscapeDataString(query)}&minorversion=75");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string access, HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http.SendAsync(request);
    }
}
