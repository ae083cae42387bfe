using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Rtgf.UpstreamSimulator.Tests.Comms;

/// <summary>The Resend and Cellcast simulators answer in the providers' shapes and record exactly what was sent.</summary>
public sealed class CommsEndpointsTests
{
    private const string Email = """{"from":"RTGF <noreply@rtgf.test>","to":["ada@example.org"],"subject":"Hi","text":"Hello","html":"<p>Hello</p>"}""";

    [Fact]
    public async Task Resend_SameKeyAndBody_AnswersTheFirstIdAndSendsOnce_AnotherBodyIs409()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var first = await http.SendAsync(Resend(Email, key: "welcome/1"));
        using var again = await http.SendAsync(Resend(Email, key: "welcome/1"));
        using var other = await http.SendAsync(Resend(Email.Replace("Hello", "Bye", StringComparison.Ordinal), key: "welcome/1"));
        using var unkeyed = await http.SendAsync(Resend(Email));
        var sent = await http.GetFromJsonAsync<JsonObject>("_sim/comms/sent");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.OK), (first.StatusCode, again.StatusCode, other.StatusCode, unkeyed.StatusCode));
        Assert.Equal((string?)(await Read(first))["id"], (string?)(await Read(again))["id"]);
        Assert.Equal(("invalid_idempotent_request", 409), ((string?)(await Read(other))["name"], (int?)(await Read(other))["statusCode"]));
        Assert.Equal(2, sent!["emails"]!.AsArray().Count);
        Assert.Equal(["welcome/1", null], sent["emails"]!.AsArray().Select(e => (string?)e!["idempotencyKey"]));
        Assert.Equal("2", first.Headers.GetValues("ratelimit-limit").Single());
    }

    [Theory]
    [InlineData(null, Email, 401, "missing_api_key")]
    [InlineData("re_wrong", Email, 403, "invalid_api_key")]
    [InlineData(SimulatorOptions.DefaultResendApiKey, """{"from":"a@example.org","subject":"x","text":"y"}""", 422, "missing_required_field")]
    [InlineData(SimulatorOptions.DefaultResendApiKey, """{"from":"a@example.org","to":"not an address","subject":"x","text":"y"}""", 422, "validation_error")]
    [InlineData(SimulatorOptions.DefaultResendApiKey, """{"from":"a@example.org","to":"b@example.org","subject":"x"}""", 422, "validation_error")]
    public async Task Resend_RefusesBadRequests_WithItsErrorBody_AndSendsNothing(string? key, string body, int status, string name)
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.SendAsync(Resend(body, apiKey: key));
        var error = await Read(response);
        var sent = await http.GetFromJsonAsync<JsonObject>("_sim/comms/sent");

        Assert.Equal((status, name, status), ((int)response.StatusCode, (string?)error["name"], (int?)error["statusCode"]));
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        Assert.Empty(sent!["emails"]!.AsArray());
    }

    [Fact]
    public async Task Resend_OverItsRateLimit_Answers429WithRetryAfter_ThenSends()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var set = await http.PostAsync(new Uri("_sim/comms/resend/rate-limit?count=1", UriKind.Relative), null);
        using var limited = await http.SendAsync(Resend(Email, key: "k-1"));
        using var next = await http.SendAsync(Resend(Email, key: "k-1"));

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limit_exceeded"), (limited.StatusCode, (string?)(await Read(limited))["name"]));
        Assert.Equal((TimeSpan.FromSeconds(1), "0"), (limited.Headers.RetryAfter?.Delta, limited.Headers.GetValues("ratelimit-remaining").Single()));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Cellcast_SendsWithItsAppKey_AndRefusesInItsEnvelope()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var ok = await http.SendAsync(Cellcast("""{"sms_text":"Hi","numbers":["+61400000000"]}""", SimulatorOptions.DefaultCellcastApiKey));
        using var noKey = await http.SendAsync(Cellcast("""{"sms_text":"Hi","numbers":["+61400000000"]}""", null));
        using var empty = await http.SendAsync(Cellcast("""{"sms_text":"","numbers":["+61400000000"]}""", SimulatorOptions.DefaultCellcastApiKey));
        using var badNumber = await http.SendAsync(Cellcast("""{"sms_text":"Hi","numbers":["call me"]}""", SimulatorOptions.DefaultCellcastApiKey));
        var answer = await Read(ok);
        var sent = await http.GetFromJsonAsync<JsonObject>("_sim/comms/sent");

        Assert.Equal(("SUCCESS", 200, "Queued"), ((string?)answer["meta"]!["status"], (int?)answer["meta"]!["code"], (string?)answer["msg"]));
        Assert.Equal("+61400000000", (string?)answer["data"]!["messages"]![0]!["to"]);
        Assert.Equal(("AUTH_FAILED", HttpStatusCode.Unauthorized), ((string?)(await Read(noKey))["meta"]!["status"], noKey.StatusCode));
        Assert.Equal("FIELD_EMPTY", (string?)(await Read(empty))["meta"]!["status"]);
        Assert.Equal("FIELD_INVALID", (string?)(await Read(badNumber))["meta"]!["status"]);
        var sms = Assert.Single(sent!["sms"]!.AsArray());
        Assert.Equal(((string?)answer["data"]!["messages"]![0]!["message_id"], "Hi"), ((string?)sms!["messageId"], (string?)sms["text"]));
    }

    private static HttpRequestMessage Resend(string body, string? key = null, string? apiKey = SimulatorOptions.DefaultResendApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("emails", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private static HttpRequestMessage Cellcast(string body, string? appKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v3/send-sms", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (appKey is not null)
        {
            request.Headers.Add("APPKEY", appKey);
        }

        return request;
    }

    private static async Task<JsonObject> Read(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
