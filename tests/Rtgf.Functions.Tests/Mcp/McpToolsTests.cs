using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Rtgf.Core.Encoding;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Mcp;

/// <summary>
/// The MCP tools API end to end: the SDK's own client over its streamable HTTP transport, through the host's routing to
/// the running app over Azurite (<see cref="McpFixture"/>: the published sample world, with a key of scope <c>mcp</c>).
/// </summary>
[Collection(McpWorld.Name)]
public sealed class McpToolsTests(McpFixture mcp)
{
    [Theory]
    [InlineData(null, "2026-07-28")] // the client's default: per-request metadata, no initialize handshake
    [InlineData("2025-11-25", "2025-11-25")] // the initialize handshake of earlier revisions
    public async Task Connect_NegotiatesTheRevision_AndCallsATool(string? asked, string negotiated)
    {
        await using var client = await mcp.ConnectAsync(asked);

        Assert.Equal(negotiated, client.NegotiatedProtocolVersion);
        Assert.Equal("rtgf", client.ServerInfo?.Name);
        Assert.NotNull(client.ServerCapabilities.Tools);
        var result = await client.CallToolAsync("verify_token", new Dictionary<string, object?> { ["token"] = mcp.Tokens[3].Jws });
        Assert.True(Json(result)["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ListTools_GivesEachToolWithItsInputAndOutputSchema()
    {
        await using var client = await mcp.ConnectAsync();

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name, StringComparer.Ordinal);

        Assert.Equal(
            ["component_providers", "get_component", "get_rto", "revocation_status", "rto_scope", "search_components", "verify_token"],
            tools.Keys.Order(StringComparer.Ordinal));
        Assert.All(tools.Values, t => Assert.True(t.ProtocolTool.Annotations?.ReadOnlyHint, t.Name));
        Assert.All(tools.Values, t => Assert.Equal("object", t.ProtocolTool.OutputSchema?.GetProperty("type").GetString()));
        var verify = tools["verify_token"].ProtocolTool;
        Assert.Equal(["token"], Required(verify.InputSchema));
        Assert.Equal(["at", "checkpoint", "logIndex", "token"], Properties(verify.InputSchema));
        Assert.Equal("string", verify.InputSchema.GetProperty("properties").GetProperty("token").GetProperty("type").GetString());
        Assert.Contains("valid", Properties(verify.OutputSchema!.Value));
        Assert.Contains("reasons", Properties(verify.OutputSchema!.Value));
        Assert.True(verify.Annotations?.ReadOnlyHint);

        var revocation = tools["revocation_status"].ProtocolTool;
        Assert.Equal(["tokenId"], Required(revocation.InputSchema));
        Assert.Equal(["tokenId"], Properties(revocation.InputSchema));
        Assert.Contains("revoked", Properties(revocation.OutputSchema!.Value));
    }

    [Fact]
    public async Task VerifyToken_PublishedToken_IsValid()
    {
        await using var client = await mcp.ConnectAsync();

        var result = await client.CallToolAsync("verify_token", new Dictionary<string, object?> { ["token"] = mcp.Tokens[0].Jws });

        Assert.NotEqual(true, result.IsError);
        var verdict = Json(result);
        Assert.True(verdict["valid"]!.GetValue<bool>(), verdict.ToJsonString());
        Assert.Empty(verdict["reasons"]!.AsArray());
        Assert.Equal(mcp.Tokens[0].TokenId, verdict["claims"]!["tokenId"]!.GetValue<string>());
        Assert.Equal(0, verdict["status"]!["value"]!.GetValue<int>());
        Assert.NotNull(result.StructuredContent);
        Assert.Equal(mcp.Tokens[0].TokenId, result.StructuredContent.Value.GetProperty("claims").GetProperty("tokenId").GetString());
    }

    [Fact]
    public async Task VerifyToken_WithTheCheckpointAndLogIndex_ChecksInclusion()
    {
        using var http = mcp.CreateClient();
        var note = await http.GetStringAsync(new Uri("/log/checkpoint", UriKind.Relative));
        await using var client = await mcp.ConnectAsync();

        var result = await client.CallToolAsync("verify_token", new Dictionary<string, object?>
        {
            ["token"] = mcp.Tokens[1].Jws,
            ["checkpoint"] = note,
            ["logIndex"] = mcp.Tokens[1].LogIndex,
        });

        var verdict = Json(result);
        Assert.True(verdict["valid"]!.GetValue<bool>(), verdict.ToJsonString());
        Assert.True(verdict["proof"]!["included"]!.GetValue<bool>());
        Assert.Equal(long.Parse(note.Split('\n')[1], CultureInfo.InvariantCulture), verdict["proof"]!["treeSize"]!.GetValue<long>());
    }

    [Fact]
    public async Task VerifyToken_TamperedPayload_IsInvalidWithTheReason()
    {
        var parts = mcp.Tokens[0].Jws.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlStrict.Decode(parts[1], "payload")).Replace(mcp.Tokens[0].Subject, mcp.Tokens[0].Subject + "9", StringComparison.Ordinal);
        var tampered = parts[0] + "." + Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(payload)) + "." + parts[2];
        await using var client = await mcp.ConnectAsync();

        var result = await client.CallToolAsync("verify_token", new Dictionary<string, object?> { ["token"] = tampered });

        Assert.NotEqual(true, result.IsError); // a verdict, not a failure
        var verdict = Json(result);
        Assert.False(verdict["valid"]!.GetValue<bool>());
        Assert.Contains("invalid-signature", verdict["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("{}", "The argument 'token' is required.")]
    [InlineData("{\"token\":null}", "The argument 'token' is required.")]
    [InlineData("{\"token\":42}", "The argument 'token' must be a string, not a number.")]
    [InlineData("{\"token\":\"a.b.c\",\"tokne\":\"x\"}", "Unknown argument 'tokne'; this tool takes 'at', 'checkpoint', 'logIndex', 'token'.")]
    [InlineData("{\"token\":\"a.b.c\",\"at\":\"yesterday\"}", "'at' must be an RFC 3339 instant such as 2026-01-01T00:00:00Z, not 'yesterday'.")]
    [InlineData("{\"token\":\"a.b.c\",\"logIndex\":3}", "Send 'checkpoint' (a signed checkpoint note) and 'logIndex' together, or neither.")]
    [InlineData("{\"token\":\"a.b.c\",\"logIndex\":1.5,\"checkpoint\":\"c\"}", "The argument 'logIndex' must be an integer or null, not a number.")]
    public async Task VerifyToken_BadArguments_AreToolErrorsThatSayWhy(string arguments, string message)
    {
        await using var client = await mcp.ConnectAsync();

        var result = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "verify_token",
            Arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments),
        });

        Assert.True(result.IsError);
        Assert.Equal($"An error occurred invoking 'verify_token': {message}", Text(result));
    }

    [Fact]
    public async Task RevocationStatus_LiveToken_IsNotRevoked()
    {
        await using var client = await mcp.ConnectAsync();

        var result = await client.CallToolAsync("revocation_status", new Dictionary<string, object?> { ["tokenId"] = mcp.Tokens[2].TokenId });

        Assert.NotEqual(true, result.IsError);
        var status = Json(result);
        Assert.False(status["revoked"]!.GetValue<bool>());
        Assert.Null(status["revocation"]);
        Assert.Equal(mcp.Tokens[2].Subject, status["subject"]!.GetValue<string>());
        Assert.Equal(mcp.Tokens[2].StatusIndex, status["status"]!["index"]!.GetValue<long>());
        Assert.Equal(mcp.Tokens[2].StatusListUri, status["status"]!["uri"]!.GetValue<string>());
        Assert.Equal(mcp.Tokens[2].StatusListUri[StoredAppFixture.BaseUrl.Length..], status["statusListHref"]!.GetValue<string>());
        Assert.StartsWith("/revocations/status-lists/rto-registration/", status["statusListHref"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("/tokens/" + mcp.Tokens[2].TokenId, status["href"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevocationStatus_RevokedToken_CarriesTheRevocation()
    {
        var revoked = await mcp.World.Publisher.RevokeAsync(mcp.Tokens[7].TokenId, "RTO registration cancelled", "test@example.gov.au");
        await using var client = await mcp.ConnectAsync();

        var result = await client.CallToolAsync("revocation_status", new Dictionary<string, object?> { ["tokenId"] = mcp.Tokens[7].TokenId });

        var status = Json(result);
        Assert.True(status["revoked"]!.GetValue<bool>(), status.ToJsonString());
        Assert.Equal("RTO registration cancelled", status["revocation"]!["reason"]!.GetValue<string>());
        Assert.Equal(revoked.Kind, status["revocation"]!["kind"]!.GetValue<string>());
        Assert.Equal(revoked.Epoch, status["revocation"]!["epoch"]!.GetValue<long>());
        Assert.Equal(revoked.LogIndex, status["revocation"]!["logIndex"]!.GetValue<long>());
        Assert.True(status["epoch"]!.GetValue<long>() >= revoked.Epoch);
    }

    [Theory]
    [InlineData("not-a-token-id", "'not-a-token-id' is not a token id (64 lowercase hex digits: the SHA-256 of the payload).")]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000", "'ABCDEF0000000000000000000000000000000000000000000000000000000000' is not a token id (64 lowercase hex digits: the SHA-256 of the payload).")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "No token has id '0000000000000000000000000000000000000000000000000000000000000000'.")]
    public async Task RevocationStatus_BadOrUnknownId_IsAToolError(string tokenId, string message)
    {
        await using var client = await mcp.ConnectAsync();

        var result = await client.CallToolAsync("revocation_status", new Dictionary<string, object?> { ["tokenId"] = tokenId });

        Assert.True(result.IsError);
        Assert.Equal($"An error occurred invoking 'revocation_status': {message}", Text(result));
    }

    [Fact]
    public async Task UnknownTool_IsAnErrorNotAFailure()
    {
        await using var client = await mcp.ConnectAsync();

        var error = await Record.ExceptionAsync(() => client.CallToolAsync("no_such_tool", new Dictionary<string, object?>()).AsTask());

        // The SDK answers an unknown tool with a JSON-RPC error (invalid params), which its client raises.
        Assert.IsType<ModelContextProtocol.McpProtocolException>(error);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("{\"jsonrpc\":\"2.0\"}")]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"tools/list\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/list\"}")]
    [InlineData("\"\\ud800\"")]
    public async Task MalformedJsonRpc_Is4xx(string body)
    {
        using var http = mcp.CreateClient();

        using var response = await PostAsync(http, body);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":\"x\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"arguments\":{}}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"verify_token\",\"arguments\":[1]}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"no/such/method\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"params\":{\"name\":\"x\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"params\":[]}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":1}}}")]
    public async Task WellFormedRequestWithBadParams_IsAJsonRpcErrorForThatId(string body)
    {
        using var http = mcp.CreateClient();

        using var response = await PostAsync(http, body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{response.StatusCode}: {text}");
        var message = JsonNode.Parse(response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? SseData(text) : text)!;
        Assert.Equal(7, message["id"]!.GetValue<int>());
        Assert.True(message["error"]!["code"]!.GetValue<int>() is -32600 or -32601 or -32602, text);
    }

    [Fact]
    public async Task NotUtf8_Is400ParseError()
    {
        using var http = mcp.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new ByteArrayContent([.. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"pi"u8, 0xC3, 0x28, .. "ng\"}"u8]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32700, (await response.ReadObjectAsync())["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task NotAcceptingAnEventStream_Is406()
    {
        using var http = mcp.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task NotJson_Is415Problem()
    {
        using var http = mcp.CreateClient();

        using var response = await PostAsync(http, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OversizeBody_Is413Problem_AndTheAppAnswersAfterwards()
    {
        using var http = mcp.CreateClient();
        var body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"verify_token\",\"arguments\":{\"token\":\"" + new string('a', 200_000) + "\"}}}";

        using var response = await PostAsync(http, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("urn:rtgf:problem:payload-too-large", (await response.ReadObjectAsync())["type"]!.GetValue<string>());
        await using var client = await mcp.ConnectAsync();
        Assert.NotEmpty(await client.ListToolsAsync());
    }

    [Fact]
    public async Task GetAskingForAnEventStream_Is405_ForAStatelessServer()
    {
        using var http = mcp.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/mcp");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Delete_Is405_ThereAreNoSessionsToEnd()
    {
        using var http = mcp.CreateClient();

        using var response = await http.DeleteAsync(new Uri("/mcp", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.DoesNotContain("DELETE", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task StatelessServer_GivesNoSessionId()
    {
        using var http = mcp.CreateClient();

        using var response = await PostAsync(http,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        Assert.Contains("\"serverInfo\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawToolsCall_WithoutAHandshake_IsAnswered()
    {
        using var http = mcp.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(
                $"{{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{{\"name\":\"revocation_status\",\"arguments\":{{\"tokenId\":\"{mcp.Tokens[1].TokenId}\"}}}}}}",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var message = JsonNode.Parse(SseData(text))!;
        Assert.Equal(3, message["id"]!.GetValue<int>());
        Assert.False(message["result"]!["structuredContent"]!["revoked"]!.GetValue<bool>(), text);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string body, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await http.SendAsync(request);
    }

    /// <summary>The data of the one event of a stateless answer.</summary>
    private static string SseData(string stream) =>
        string.Concat(stream.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..].Trim()));

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private static JsonNode Json(CallToolResult result) => JsonNode.Parse(Text(result))!;

    private static List<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal)] : [];

    private static List<string> Properties(JsonElement schema) =>
        [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
