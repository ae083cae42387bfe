using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Rtgf.Functions.Endpoints;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>The forwarded HTTP areas: the host passes requests through unchanged, ASP.NET Core routing answers.</summary>
public sealed class AreaEndpointsTests(WebApplicationFactory<Program> app) : IClassFixture<WebApplicationFactory<Program>>
{
    [Theory]
    [InlineData("/verify", "verifier", "anonymous")]
    [InlineData("/v1", "public-api", "anonymous")]
    [InlineData("/ops", "operations", "admin")]
    [InlineData("/billing", "billing-webhook", "anonymous")]
    [InlineData("/mcp", "mcp", "function")]
    [InlineData("/.well-known", "registry", "anonymous")]
    [InlineData("/openapi", "openapi", "anonymous")]
    [InlineData("/log", "log", "anonymous")]
    public async Task AreaRoot_DescribesTheAreaAndItsRoutes(string path, string area, string authLevel)
    {
        using var client = app.CreateClient();

        var description = await client.GetFromJsonAsync<AreaDescription>(path);

        Assert.NotNull(description);
        Assert.Equal(area, description.Area);
        Assert.Equal(path, description.Path);
        Assert.Equal(authLevel, description.AuthLevel);
        Assert.Contains(description.Routes, r => r.Path == path && r.Methods.SequenceEqual(["GET"]));
        Assert.All(description.Routes, r => Assert.StartsWith(path, r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OperationsFunctions_ResolvesSettingsAndFlagsMissingOnes()
    {
        using var client = app.CreateClient();

        var functions = await client.GetFromJsonAsync<List<FunctionView>>("/ops/functions");

        Assert.NotNull(functions);
        var verifier = Assert.Single(functions, f => f.Name == "verifier");
        Assert.Equal("httpTrigger", verifier.Trigger.Type);
        Assert.Equal("verify/{*path}", verifier.Trigger.ResolvedValue);
        Assert.Empty(verifier.MissingSettings);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheAreasButNotTheInvocationEndpoints()
    {
        using var client = app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("/.well-known/rtgf", paths);
        Assert.Contains("/verify", paths);
        Assert.Contains("/log/proofs/inclusion", paths);
        Assert.DoesNotContain("/ops/functions", paths); // operator routes have their own document (ADR 0010)
        Assert.DoesNotContain(paths, p => p == "/");
    }

    [Theory]
    [InlineData("/verify/no-such-thing")]
    [InlineData("/.well-known/unknown")]
    [InlineData("/not-an-area")]
    public async Task UnknownPath_Is404ProblemDetails(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task ForwardedRequest_IsLoggedUnderItsFunction()
    {
        using var factory = new Contract.FunctionsAppFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/verify");
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-forwarded-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(factory.Logs.Entries, e => Equals(e.State.GetValueOrDefault("InvocationId"), "inv-forwarded-1") && e.State.ContainsKey("StatusCode"));
        Assert.Equal("verifier", entry.State["FunctionName"]);
    }
}
