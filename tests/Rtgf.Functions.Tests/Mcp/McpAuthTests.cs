using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Rtgf.Functions.Tests.Endpoints;

namespace Rtgf.Functions.Tests.Mcp;

/// <summary>
/// <c>/mcp</c> behind API keys (docs/spec/api-keys.md): the SDK's own client and a raw client against the app. No key or a
/// revoked one is a 401 with a Bearer challenge, a key without the scope <c>mcp</c> a 403 <c>insufficient_scope</c>.
/// </summary>
[Collection(McpWorld.Name)]
public sealed class McpAuthTests(McpFixture mcp)
{
    private const string Ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";

    [Fact]
    public async Task NoKey_Is401WithABearerChallenge_AndTheSdkClientFails()
    {
        using var response = await PostAsync("");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertRefused(await Record.ExceptionAsync(() => mcp.ConnectAsync(key: "")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task KeyWithoutTheMcpScope_Is403InsufficientScope()
    {
        var (key, _) = await mcp.CreateKeyAsync(["catalogue:read"]);

        using var response = await PostAsync(key);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"mcp\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("lacks the scope 'mcp'", (await response.ReadObjectAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertRefused(await Record.ExceptionAsync(() => mcp.ConnectAsync(key: key)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RevokedKey_Is401_WhereItWorkedBefore()
    {
        var (key, id) = await mcp.CreateKeyAsync(["mcp"]);
        await using (var before = await mcp.ConnectAsync(key: key))
        {
            Assert.Equal(7, (await before.ListToolsAsync()).Count);
        }

        using (var ops = mcp.CreateClient(""))
        using (var revoke = await ops.PostAsync(new Uri($"/ops/api-keys/{id}/revoke", UriKind.Relative), ApiJson.Json("{\"reason\":\"leaked\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using var response = await PostAsync(key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("revoked", (await response.ReadObjectAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertRefused(await Record.ExceptionAsync(() => mcp.ConnectAsync(key: key)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task McpKey_ListsTheSevenTools_UnderItsPlansLimits()
    {
        using var response = await PostAsync(mcp.Key);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        foreach (var tool in new[] { "verify_token", "revocation_status", "search_components", "get_component", "get_rto", "rto_scope", "component_providers" })
        {
            Assert.Contains($"\"name\":\"{tool}\"", text, StringComparison.Ordinal);
        }

        // The plan's limits are reported on a keyed answer (docs/spec/api-keys.md).
        Assert.True(response.Headers.Contains("RateLimit-Policy"), string.Join(", ", response.Headers.Select(h => h.Key)));
    }

    /// <summary>The SDK's client raises the refusal: an <see cref="HttpRequestException"/> with the status, possibly wrapped.</summary>
    private static void AssertRefused(Exception? error, HttpStatusCode status)
    {
        Assert.NotNull(error);
        var http = error as HttpRequestException ?? error.InnerException as HttpRequestException;
        Assert.True(http is not null, error.ToString());
        Assert.Equal(status, http.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string key)
    {
        using var client = mcp.CreateClient(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(Ping, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-11-25");
        return await client.SendAsync(request);
    }
}
