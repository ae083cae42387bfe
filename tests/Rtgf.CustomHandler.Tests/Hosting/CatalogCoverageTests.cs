using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.CustomHandler.Tests.Hosting;

public sealed class CatalogCoverageTests
{
    private static readonly FunctionDefinition Verifier = FunctionDefinition.Http("verifier", "verify/{*path}", AuthorizationLevel.Anonymous, "get");
    private static readonly FunctionDefinition Relay = FunctionDefinition.ServiceBus("relay", "work");

    [Fact]
    public async Task EveryFunctionReachedAndEveryEndpointOwned_HasNoProblems()
    {
        await using var app = Build(map: app => app.MapFunction(Verifier).MapGet("/{token}", () => "ok"));

        Assert.Empty(Check(app));
    }

    [Fact]
    public async Task EndpointOutsideEveryFunction_IsReported()
    {
        await using var app = Build(map: app =>
        {
            app.MapFunction(Verifier).MapGet("/x", () => "ok");
            app.MapGet("/orphan", () => "never routed by the host");
        });

        Assert.Contains(Check(app), p => p.Contains("'/orphan' belongs to no function", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FunctionWithoutEndpoints_IsReported()
    {
        await using var app = Build(map: _ => { });

        Assert.Contains(Check(app), p => p.Contains("'verifier' has no endpoints", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EndpointAnsweringAMethodTheFunctionRefuses_IsReported()
    {
        await using var app = Build(map: app => app.MapFunction(Verifier).MapPost("/x", () => "unreachable"));

        Assert.Contains(Check(app), p => p.Contains("answers POST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MappingAnUnregisteredFunction_FailsAtStartup()
    {
        await using var app = Build(map: _ => { });

        Assert.Throws<InvalidOperationException>(() => app.MapFunction(FunctionDefinition.Http("other", "other/{*p}", AuthorizationLevel.Anonymous)));
    }

    private static WebApplication Build(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddCustomHandler();
        builder.Services.AddHttpFunction(Verifier);
        builder.Services.AddFunction(Relay, _ => Task.CompletedTask);
        var app = builder.Build();
        app.MapCustomHandler();
        map(app);
        return app;
    }

    private static IReadOnlyList<string> Check(WebApplication app) =>
        CatalogCoverage.Check(app.Services.GetRequiredService<FunctionCatalog>(), ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));
}
