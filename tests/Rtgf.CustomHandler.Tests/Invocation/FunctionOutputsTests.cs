using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Invocation;

namespace Rtgf.CustomHandler.Tests.Invocation;

public sealed class FunctionOutputsTests
{
    private static readonly FunctionDefinition Compile = FunctionDefinition.ServiceBus("compile", "compile", new ServiceBusOutput("publish", "publish"), new QueueOutput("audit", "audit"));

    [Fact]
    public void Objects_AreMessagesAndRepeatedAddsAccumulate()
    {
        var context = Context(Compile);

        context.Outputs.Add("publish", new { token = "a" });
        context.Outputs.Add("publish", new[] { new { token = "b" }, new { token = "c" } });
        context.Log("compiled 3");
        var response = InvocationResponse.From(context);

        Assert.Equal("""{"Outputs":{"publish":[{"token":"a"},{"token":"b"},{"token":"c"}]},"Logs":["compiled 3"],"ReturnValue":null}""", response.ToJsonString());
    }

    [Theory]
    [InlineData("\"test\"")]   // valid base64: the host would decode it to bytes
    [InlineData("\"[1,2]\"")]  // parses as an array: the host would split it
    [InlineData("42")]
    [InlineData("[\"a\",\"b\"]")]
    public void NonObjectMessages_AreRefusedBeforeTheHostSeesThem(string json)
    {
        var context = Context(Compile);

        var error = Assert.Throws<InvalidOperationException>(() => context.Outputs.Add("publish", JsonNode.Parse(json)));

        Assert.Contains("JSON objects", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UndeclaredOutput_IsRefusedNamingTheDeclaredOnes()
    {
        var context = Context(Compile);

        var error = Assert.Throws<InvalidOperationException>(() => context.Outputs.Add("Publish", new { }));

        Assert.Contains("publish, audit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpResponse_IsAStringBodyWithContentType()
    {
        var echo = FunctionDefinition.HttpWithOutputs("echo", "echo/{id}", AuthorizationLevel.Function, ["post"], new QueueOutput("audit", "audit"));
        var context = Context(echo);

        context.Outputs.SetHttpResponse(201, "{\"ok\":true}", headers: new Dictionary<string, string> { ["Location"] = "/echo/1" });
        var outputs = InvocationResponse.From(context)["Outputs"]!;

        Assert.Equal(201, outputs["res"]!["statusCode"]!.GetValue<int>());
        Assert.Equal("{\"ok\":true}", outputs["res"]!["body"]!.GetValue<string>());
        Assert.Equal("application/json", outputs["res"]!["headers"]!["Content-Type"]!.GetValue<string>());
        Assert.Equal("/echo/1", outputs["res"]!["headers"]!["Location"]!.GetValue<string>());
    }

    [Fact]
    public void HttpResponse_OnAFunctionWithoutOne_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => Context(Compile).Outputs.SetHttpResponse(200));

    [Fact]
    public void TypedTriggerAccess_OnTheWrongTrigger_IsRefused()
    {
        var context = Context(Compile);

        Assert.Throws<InvalidOperationException>(() => context.Timer);
        Assert.Throws<InvalidOperationException>(() => context.HttpRequest);
    }

    private static FunctionContext Context(FunctionDefinition function) =>
        new("inv-1", function, InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>("{\"Data\":{\"message\":\"\\\"{}\\\"\"},\"Metadata\":{}}")),
            new EmptyServices(), NullLogger.Instance, new JsonSerializerOptions(JsonSerializerDefaults.Web), CancellationToken.None);

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
