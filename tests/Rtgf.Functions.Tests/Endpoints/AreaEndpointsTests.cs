using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Functions.Endpoints;
using Rtgf.Functions.Tests.Support;
using Rtgf.FunctionsHost.Http;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>The HTTP areas (one route prefix, one key level, one function per operation), through the host's routing.</summary>
public sealed class AreaEndpointsTests(FunctionsApp app) : IClassFixture<FunctionsApp>
{
    [Theory]
    [InlineData("/verify", "verifier", "anonymous")]
    [InlineData("/v1", "public-api", "anonymous")]
    [InlineData("/hooks", "webhooks", "anonymous")]
    [InlineData("/ops", "operations", "admin")]
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
        Assert.Contains(description.Routes, r => r.Path == path && r.Methods.Contains("GET", StringComparer.OrdinalIgnoreCase));
        Assert.All(description.Routes, r => Assert.StartsWith(path, r.Path, StringComparison.Ordinal));
        Assert.All(description.Routes, r => Assert.False(string.IsNullOrEmpty(r.Name), $"{r.Path} has no function name"));
    }

    [Fact]
    public async Task OperationsFunctions_ResolvesSettingsAndFlagsMissingOnes()
    {
        using var client = app.CreateClient();

        var functions = await client.GetFromJsonAsync<List<FunctionView>>("/ops/functions");

        Assert.NotNull(functions);
        var verify = Assert.Single(functions, f => f.Name == "VerifyToken");
        Assert.Equal("httpTrigger", verify.Trigger.Type);
        Assert.Equal("verify", verify.Trigger.ResolvedValue);
        Assert.Empty(verify.MissingSettings);

        // The fixture sets no schedules: the timer's %setting% is reported, not guessed.
        var sync = Assert.Single(functions, f => f.Name == "tga-sync");
        Assert.Equal("timerTrigger", sync.Trigger.Type);
        Assert.Equal(["TGA_SYNC_SCHEDULE"], sync.MissingSettings);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesThePublicOperationsOnly()
    {
        using var client = app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("/.well-known/rtgf", paths);
        Assert.Contains("/verify", paths);
        Assert.Contains("/log/proofs/inclusion", paths);
        Assert.DoesNotContain("/ops/functions", paths); // operator routes have their own document (ADR 0010)
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
    public async Task WrongMethod_Is405ProblemDetailsWithAllow()
    {
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync(new Uri("/verify", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Request_IsInvokedAsItsOperationsFunction()
    {
        var invocations = new ConcurrentQueue<HttpInvocation>();
        using var client = app.CreateClient(invocations.Enqueue);

        using var response = await client.GetAsync(new Uri("/verify", UriKind.Relative));
        var invocation = (await Rtgf.Testing.Eventually.ProbeAsync(
            () => Task.FromResult(invocations.FirstOrDefault(i => i.Path == "/verify")), i => i is not null, TimeSpan.FromSeconds(10), "the host's record of the invocation"))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DescribeVerifier", invocation.Function);
        Assert.True(invocation.Result?.Succeeded, invocation.Result?.Error);
    }
}
