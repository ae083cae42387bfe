using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Functions.Tests.Mcp;

/// <summary>
/// The MCP tests' app: the published sample world (<see cref="PublishedWorldFixture"/>, its own instance) with a real API key
/// of scope <c>mcp</c> made through <c>POST /ops/api-keys</c> on the <c>enterprise</c> plan (a burst of 1000 on a clock that
/// stands still), which every client here sends as <c>Authorization: Bearer</c>; and some of the world's published tokens.
/// </summary>
public sealed class McpFixture : IAsyncLifetime
{
    public const string Plan = "enterprise";

    public PublishedWorldFixture World { get; } = new();

    /// <summary>A key with the scope <c>mcp</c>.</summary>
    public string Key { get; private set; } = "";

    /// <summary>Eight published tokens of the <c>rto-registration</c> family, in registry order.</summary>
    public IReadOnlyList<RegisteredToken> Tokens { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await World.InitializeAsync();
        (Key, _) = await CreateKeyAsync(["mcp"]);
        Tokens = (await World.TokenRegistry.ListAsync("rto-registration", null, 8)).Items;
        Assert.Equal(8, Tokens.Count);
    }

    public Task DisposeAsync() => World.DisposeAsync();

    /// <summary>Creates a key through <c>POST /ops/api-keys</c>; returns the key and its id.</summary>
    public async Task<(string Key, string Id)> CreateKeyAsync(string[] scopes, string plan = Plan)
    {
        using var client = World.CreateClient();
        using var response = await client.PostAsJsonAsync("/ops/api-keys", new { name = "mcp tests", owner = "tests@example.org", scopes, plan });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["key"]!.GetValue<string>(), body["apiKey"]!["id"]!.GetValue<string>());
    }

    /// <summary>A raw client to the app that sends <paramref name="key"/> (the fixture's <see cref="Key"/> by default; none when empty).</summary>
    public HttpClient CreateClient(string? key = null)
    {
        var client = World.CreateClient();
        key ??= Key;
        if (key.Length > 0)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>The SDK's client over its streamable HTTP transport, sending <paramref name="key"/> (the fixture's <see cref="Key"/> by default; none when empty).</summary>
    public async Task<McpClient> ConnectAsync(string? protocolVersion = null, string? key = null)
    {
        key ??= Key;
        var options = new HttpClientTransportOptions { Endpoint = new Uri("http://localhost/mcp"), TransportMode = HttpTransportMode.StreamableHttp };
        if (key.Length > 0)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key };
        }

#pragma warning disable CA2000 // the transport takes the client (ownsHttpClient) and the McpClient takes the transport
        var transport = new HttpClientTransport(options, World.CreateClient(), loggerFactory: null, ownsHttpClient: true);
#pragma warning restore CA2000
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion });
    }
}

/// <summary>The MCP test classes share one published world (publishing it ingests the whole simulator).</summary>
[CollectionDefinition(Name)]
public sealed class McpWorld : ICollectionFixture<McpFixture>
{
    public const string Name = "mcp published world";
}
