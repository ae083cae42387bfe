using Rtgf.CustomHandler.Catalog;

namespace Rtgf.CustomHandler.Tests.Catalog;

public sealed class FunctionCatalogTests
{
    [Fact]
    public void ValidCatalogue_IsSortedAndFoundByNameInAnyCase()
    {
        var catalog = new FunctionCatalog(
        [
            FunctionDefinition.Timer("tick", "%TICK_SCHEDULE%", new ServiceBusOutput("work", "%WORK_QUEUE%")),
            FunctionDefinition.ServiceBus("relay", "work"),
            FunctionDefinition.Http("api", "v1/{*path}", AuthorizationLevel.Anonymous),
        ]);

        Assert.Equal(["api", "relay", "tick"], catalog.Select(f => f.Name));
        Assert.Equal("tick", catalog["TICK"].Name);
        Assert.Equal(["TICK_SCHEDULE", "WORK_QUEUE"], catalog.ReferencedSettings);
    }

    [Theory]
    [InlineData("admin/{*path}")]
    [InlineData("Admin")]
    [InlineData("administration/x")]
    [InlineData("runtime/webhooks")]
    public void ReservedRoute_IsRefused(string route) =>
        AssertInvalid("reserved by the Functions host", FunctionDefinition.Http("ops", route, AuthorizationLevel.Admin));

    [Fact]
    public void DuplicateNames_InAnyCase_AreRefused() =>
        AssertInvalid("declared 2 times", FunctionDefinition.ServiceBus("relay", "a-q"), FunctionDefinition.ServiceBus("Relay", "b-q"));

    [Fact]
    public void DuplicateRoutes_AreRefused() =>
        AssertInvalid("already taken", FunctionDefinition.Http("a", "v1/{*path}", AuthorizationLevel.Anonymous), FunctionDefinition.Http("b", "V1/{*path}", AuthorizationLevel.Anonymous));

    [Theory]
    [InlineData("1tick")]
    [InlineData("has space")]
    [InlineData("dot.name")]
    public void BadName_IsRefused(string name) =>
        AssertInvalid("function name", FunctionDefinition.ServiceBus(name, "q-1"));

    [Theory]
    [InlineData("/leading")]
    [InlineData("bad/{unclosed")]
    public void BadRoute_IsRefused(string route) =>
        AssertInvalid("route", FunctionDefinition.Http("f", route, AuthorizationLevel.Anonymous));

    [Fact]
    public void UppercaseMethod_IsRefused() =>
        AssertInvalid("lowercase", FunctionDefinition.Http("f", "f/{*p}", AuthorizationLevel.Anonymous, "GET"));

    [Theory]
    [InlineData("Upper")]
    [InlineData("a--b")]
    [InlineData("x")]
    [InlineData("this-queue-name-is-far-too-long-to-leave-room-for-a-dlq-suffix")]
    public void BadQueueName_IsRefused(string queue) =>
        AssertInvalid("queue", FunctionDefinition.ServiceBus("f", queue));

    [Fact]
    public void ScheduleThatIsNeitherSettingNorCron_IsRefused() =>
        AssertInvalid("NCRONTAB", FunctionDefinition.Timer("f", "every minute"));

    [Fact]
    public void HttpFunctionWithoutHttpOutput_IsRefused() =>
        AssertInvalid("exactly one HTTP output", new FunctionDefinition("f", new HttpTrigger("f", AuthorizationLevel.Anonymous, []), [new QueueOutput("q", "q-1")]));

    [Fact]
    public void HttpOutputOnAQueueFunction_IsRefused() =>
        AssertInvalid("only an HTTP-triggered function", FunctionDefinition.ServiceBus("f", "q-1", new HttpOutput()));

    [Fact]
    public void OutputNamedLikeTheTrigger_IsRefused() =>
        AssertInvalid("used twice", FunctionDefinition.ServiceBus("f", "q-1", new QueueOutput("message", "q-2")));

    [Fact]
    public void EnvelopeFunctionInsideAForwardedRoute_IsRefused() =>
        AssertInvalid("inside the route", FunctionDefinition.ServiceBus("verify", "q-1"), FunctionDefinition.Http("verifier", "verify/{*path}", AuthorizationLevel.Anonymous));

    [Fact]
    public void EveryProblem_IsListed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new FunctionCatalog(
        [
            FunctionDefinition.Http("a", "admin", AuthorizationLevel.Admin),
            FunctionDefinition.ServiceBus("b", "Bad"),
        ]));

        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forwarding_IsDecidedByTheBindings()
    {
        Assert.True(FunctionDefinition.Http("a", "a", AuthorizationLevel.Anonymous).IsForwardedHttp);
        Assert.False(FunctionDefinition.HttpWithOutputs("b", "b", AuthorizationLevel.Anonymous, [], new QueueOutput("q", "q-1")).IsForwardedHttp);
        Assert.False(FunctionDefinition.Timer("c", "0 * * * * *").IsForwardedHttp);
    }

    [Fact]
    public void PathPrefix_IsTheLiteralPartOfTheRoute()
    {
        Assert.Equal("/verify", new HttpTrigger("verify/{*path}", AuthorizationLevel.Anonymous, []).PathPrefix);
        Assert.Equal("/.well-known", new HttpTrigger(".well-known/{*path}", AuthorizationLevel.Anonymous, []).PathPrefix);
        Assert.Equal("/billing/stripe", new HttpTrigger("billing/stripe", AuthorizationLevel.Anonymous, []).PathPrefix);
    }

    private static void AssertInvalid(string expected, params FunctionDefinition[] functions)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new FunctionCatalog(functions));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
