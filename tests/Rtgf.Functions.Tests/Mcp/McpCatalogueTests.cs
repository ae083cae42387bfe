using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Register;

namespace Rtgf.Functions.Tests.Mcp;

/// <summary>
/// The catalogue tools over the published sample world through the SDK's client: each answer is, member for member, what
/// the <c>/v1</c> endpoint it names answers at the same moment, its token link resolves, and its cursors continue the
/// <c>/v1</c> listing.
/// </summary>
[Collection(McpWorld.Name)]
public sealed class McpCatalogueTests(McpFixture mcp)
{
    [Fact]
    public async Task GetRto_IsTheV1Answer_WithATokenThatResolves_AndTheSanctionsScreening()
    {
        using var http = mcp.CreateClient("");
        var code = await RtoWithScopeAsync(http);
        await using var client = await mcp.ConnectAsync();

        var rto = await CallAsync(client, "get_rto", new() { ["code"] = code });

        AssertSame(await http.GetObjectAsync("/v1/rtos/" + code), rto);
        Assert.True(rto.AsObject().ContainsKey("sanctionsScreening"));
        Assert.True(rto.AsObject().ContainsKey("contacts"));
        var (token, _) = await http.TokenFactsAsync(rto["token"]);
        Assert.Equal((string)rto["token"]!["id"]!, (string)token["tokenId"]!);
    }

    [Fact]
    public async Task GetComponent_IsTheV1Answer_WithItsToken()
    {
        using var http = mcp.CreateClient("");
        var component = await ComponentWithProvidersAsync(http);
        await using var client = await mcp.ConnectAsync();

        var detail = await CallAsync(client, "get_component", new() { ["code"] = component });

        AssertSame(await http.GetObjectAsync("/v1/components/" + component), detail);
        Assert.Equal(component, (string)detail["component"]!["code"]!);
        Assert.NotNull(detail["component"]!["token"]!["uri"]);
        Assert.NotNull(detail["supersedesChain"]);
    }

    [Fact]
    public async Task RtoScope_PagesAsV1Does_AndTheCursorContinuesTheV1Listing()
    {
        using var http = mcp.CreateClient("");
        var code = await RtoWithScopeAsync(http);
        await using var client = await mcp.ConnectAsync();

        var first = await CallAsync(client, "rto_scope", new() { ["code"] = code, ["current"] = true, ["limit"] = 1 });
        var all = await CallAsync(client, "rto_scope", new() { ["code"] = code, ["limit"] = 500 });

        AssertSame(await http.GetObjectAsync($"/v1/rtos/{code}/scope?current=true&limit=1"), first);
        AssertSame(await http.GetObjectAsync($"/v1/rtos/{code}/scope?limit=500"), all);
        Assert.All(first["items"]!.AsArray(), r => Assert.True((bool)r!["current"]!));
        var cursor = Assert.IsType<string>((string?)first["nextCursor"]); // more than one row on current scope
        var second = await CallAsync(client, "rto_scope", new() { ["code"] = code, ["current"] = true, ["limit"] = 1, ["cursor"] = cursor });
        AssertSame(await http.GetObjectAsync((string)first["next"]!), second);
        Assert.NotEqual(first["items"]![0]!.ToJsonString(), second["items"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task ComponentProviders_IsTheV1Answer_ByState()
    {
        using var http = mcp.CreateClient("");
        var component = await ComponentWithProvidersAsync(http);
        await using var client = await mcp.ConnectAsync();

        var providers = await CallAsync(client, "component_providers", new() { ["code"] = component, ["limit"] = 2 });
        var state = (string?)providers["items"]![0]!["rto"]!["states"]!.AsArray().FirstOrDefault();

        AssertSame(await http.GetObjectAsync($"/v1/components/{component}/providers?limit=2"), providers);
        Assert.NotEmpty(providers["items"]!.AsArray());
        Assert.All(providers["items"]!.AsArray(), p => Assert.NotNull(p!["rto"]!["token"]!["id"]));
        if (state is not null)
        {
            var inState = await CallAsync(client, "component_providers", new() { ["code"] = component, ["state"] = state });
            AssertSame(await http.GetObjectAsync($"/v1/components/{component}/providers?state={state}"), inState);
            Assert.All(inState["items"]!.AsArray(), p => Assert.Contains(state, p!["rto"]!["states"]!.AsArray().Select(s => (string)s!)));
        }
    }

    [Fact]
    public async Task SearchComponents_IsV1SearchOfComponents_AndPagesWithTheV1Cursor()
    {
        using var http = mcp.CreateClient("");
        var component = await ComponentWithProvidersAsync(http);
        var word = ((string)(await http.GetObjectAsync("/v1/components/" + component))["component"]!["title"]!).Split(' ')[0];
        await using var client = await mcp.ConnectAsync();

        var byCode = await CallAsync(client, "search_components", new() { ["text"] = component });
        var first = await CallAsync(client, "search_components", new() { ["text"] = word, ["limit"] = 1 });

        AssertSame(await http.GetObjectAsync($"/v1/search?q={component}&kind=component"), byCode);
        Assert.Contains(component, byCode["items"]!.AsArray().Select(i => (string)i!["code"]!));
        Assert.All(byCode["items"]!.AsArray(), i => Assert.Equal("component", (string)i!["kind"]!));
        Assert.NotNull(byCode["items"]![0]!["component"]!["token"]!["id"]);
        AssertSame(await http.GetObjectAsync($"/v1/search?q={Uri.EscapeDataString(word)}&kind=component&limit=1"), first);
        if (first["nextCursor"] is { } cursor)
        {
            var second = await CallAsync(client, "search_components", new() { ["text"] = word, ["limit"] = 1, ["cursor"] = (string)cursor! });
            AssertSame(await http.GetObjectAsync((string)first["next"]!), second);
        }

        var type = (string)byCode["items"]![0]!["component"]!["componentTypes"]![0]!;
        var typed = await CallAsync(client, "search_components", new() { ["text"] = component, ["type"] = type, ["status"] = "current" });
        AssertSame(await http.GetObjectAsync($"/v1/search?q={component}&kind=component&type={type}&status=current"), typed);
    }

    [Theory]
    [InlineData("get_rto", "{\"code\":\"NOPE999\"}", "The register has no RTO 'NOPE999'.")]
    [InlineData("get_component", "{\"code\":\"NOPE999\"}", "The register has no component 'NOPE999'.")]
    [InlineData("rto_scope", "{\"code\":\"NOPE999\"}", "The register has no RTO 'NOPE999'.")]
    [InlineData("component_providers", "{\"code\":\"NOPE999\"}", "The register has no component 'NOPE999'.")]
    [InlineData("get_rto", "{\"code\":\"a b\"}", "'a b' is not a register code (1 to 64 letters, digits, '.', '_' or '-').")]
    [InlineData("get_rto", "{}", "The argument 'code' is required.")]
    [InlineData("get_rto", "{\"code\":22}", "The argument 'code' must be a string, not a number.")]
    [InlineData("rto_scope", "{\"code\":\"x\",\"current\":\"yes\"}", "The argument 'current' must be a boolean or null, not a string.")]
    [InlineData("rto_scope", "{\"code\":\"x\",\"limit\":0}", "'limit' must be a whole number from 1 to 500.")]
    [InlineData("rto_scope", "{\"code\":\"x\",\"limit\":501}", "'limit' must be a whole number from 1 to 500.")]
    [InlineData("rto_scope", "{\"code\":\"x\",\"limit\":3000000000}", "'limit' must be a whole number from 1 to 500.")]
    [InlineData("search_components", "{\"text\":\"   \"}", "'text' must be 1 to 200 characters, not only spaces, without control characters.")]
    [InlineData("search_components", "{\"text\":\"a\",\"kind\":\"rto\"}", "Unknown argument 'kind'; this tool takes 'cursor', 'limit', 'status', 'text', 'type'.")]
    [InlineData("search_components", "{\"text\":\"a\",\"type\":\"\"}", "'type' must be 1 to 100 characters without control characters.")]
    public async Task BadArgumentsAndUnknownCodes_AreToolErrorsThatSayWhy(string tool, string arguments, string message)
    {
        await using var client = await mcp.ConnectAsync();

        var result = await client.CallToolAsync(new CallToolRequestParams { Name = tool, Arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments) });

        Assert.True(result.IsError);
        Assert.Equal($"An error occurred invoking '{tool}': {message}", Text(result));
    }

    [Fact]
    public async Task ACursorOfAnotherListing_IsAToolError()
    {
        using var http = mcp.CreateClient("");
        var rtos = await http.GetObjectAsync("/v1/rtos?limit=1");
        await using var client = await mcp.ConnectAsync();

        var result = await client.CallToolAsync("rto_scope", new Dictionary<string, object?> { ["code"] = "x", ["cursor"] = (string)rtos["nextCursor"]! });
        var garbled = await client.CallToolAsync("rto_scope", new Dictionary<string, object?> { ["code"] = "x", ["cursor"] = "not a cursor" });

        Assert.True(result.IsError);
        Assert.Contains("another listing", Text(result), StringComparison.Ordinal);
        Assert.True(garbled.IsError);
    }

    [Fact]
    public async Task SearchComponents_NearTheWindowsEnd_AnswersAsV1Does_AndBeyondItIsRefusedForTheSameReason()
    {
        // Pages reach the first 10,000 hits: a page crossing them is shortened, not refused, on both surfaces. The sample
        // world has fewer hits, so the cursors are made as the APIs make them.
        using var http = mcp.CreateClient("");
        var buildId = (string)(await http.GetObjectAsync("/v1/stats"))["buildId"]!;
        var fingerprint = RegisterCursor.FingerprintOf("SearchRegister|q=Certificate|kind=component|registrationManager=|state=|status=|type=");
        string Cursor(int position) => new RegisterCursor(buildId["sha256:".Length..], position, fingerprint).Encode();
        await using var client = await mcp.ConnectAsync();

        var near = await CallAsync(client, "search_components", new() { ["text"] = "Certificate", ["limit"] = 50, ["cursor"] = Cursor(9_990) });
        var beyond = await client.CallToolAsync("search_components", new Dictionary<string, object?> { ["text"] = "Certificate", ["limit"] = 1, ["cursor"] = Cursor(10_000) });
        using var beyondV1 = await http.GetAsync($"/v1/search?q=Certificate&kind=component&limit=1&cursor={Cursor(10_000)}");

        AssertSame(await http.GetObjectAsync($"/v1/search?q=Certificate&kind=component&limit=50&cursor={Cursor(9_990)}"), near);
        Assert.Null(near["nextCursor"]);
        Assert.True(beyond.IsError);
        Assert.Equal("An error occurred invoking 'search_components': Search pages reach the first 10000 hits only: the cursor goes beyond them.", Text(beyond));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, beyondV1.StatusCode);
        Assert.Equal("search pages reach the first 10000 hits only: the cursor goes beyond them.", (string)(await beyondV1.ReadObjectAsync())["detail"]!);
    }

    /// <summary>The first RTO (in code order) with more than one component on its current scope.</summary>
    private static async Task<string> RtoWithScopeAsync(HttpClient http)
    {
        var (rtos, _) = await http.PageAllAsync("/v1/rtos?limit=500");
        foreach (var code in rtos.Select(r => (string)r["code"]!))
        {
            if ((int)(await http.GetObjectAsync($"/v1/rtos/{code}/scope?current=true&limit=1"))["total"]! > 1)
            {
                return code;
            }
        }

        throw new InvalidOperationException("The sample world has no RTO with more than one component on current scope.");
    }

    private static async Task<string> ComponentWithProvidersAsync(HttpClient http)
    {
        var code = await RtoWithScopeAsync(http);
        var scope = await http.GetObjectAsync($"/v1/rtos/{code}/scope?current=true&limit=1");
        return (string)scope["items"]![0]!["componentCode"]!;
    }

    private static async Task<JsonNode> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        Assert.True(result.IsError != true, Text(result));
        Assert.NotNull(result.StructuredContent);
        var json = JsonNode.Parse(Text(result))!;
        Assert.True(JsonNode.DeepEquals(json, JsonNode.Parse(result.StructuredContent.Value.GetRawText())), "the text and the structured content differ");
        return json;
    }

    private static void AssertSame(JsonNode v1, JsonNode tool) =>
        Assert.True(JsonNode.DeepEquals(v1, tool), $"/v1: {Truncate(v1.ToJsonString())}\nmcp: {Truncate(tool.ToJsonString())}");

    private static string Truncate(string text) => text.Length <= 1500 ? text : text[..1500] + "…";

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
}
