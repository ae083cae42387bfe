using Rtgf.CustomHandler.Metadata;

namespace Rtgf.CustomHandler.Tests.Metadata;

public sealed class HostJsonTests
{
    [Fact]
    public void Parse_ReadsTheCustomHandlerAndExtensions()
    {
        var host = HostJson.Parse("""
            {
              "version": "2.0",
              // comments are allowed, as in the host
              "customHandler": { "description": { "defaultExecutablePath": "dotnet", "defaultWorkerPath": "App.dll", "arguments": ["--x", "%Y%"] }, "enableForwardingHttpRequest": true },
              "extensionBundle": { "id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.*, 5.0.0)" },
              "extensions": { "http": { "routePrefix": "" }, "queues": { "maxDequeueCount": 3, "messageEncoding": "none", "visibilityTimeout": "00:00:30" }, "serviceBus": { "maxConcurrentCalls": 4 } },
              "functionTimeout": "00:10:00",
            }
            """);

        Assert.Equal("dotnet", host.Description.DefaultExecutablePath);
        Assert.Equal("App.dll", host.Description.DefaultWorkerPath);
        Assert.Equal(["--x", "%Y%"], host.Description.Arguments);
        Assert.True(host.EnableForwardingHttpRequest);
        Assert.Equal(string.Empty, host.RoutePrefix);
        Assert.Equal(3, host.Queues.MaxDequeueCount);
        Assert.Equal("none", host.Queues.MessageEncoding);
        Assert.Equal(TimeSpan.FromSeconds(30), host.Queues.VisibilityTimeout);
        Assert.Equal(4, host.ServiceBus.MaxConcurrentCalls);
        Assert.Equal(TimeSpan.FromMinutes(10), host.FunctionTimeout);
        Assert.Equal("[4.*, 5.0.0)", host.ExtensionBundleVersion);
    }

    [Fact]
    public void Parse_AppliesTheHostsDefaults()
    {
        var host = HostJson.Parse("""{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"App"}}}""");

        Assert.Equal("api", host.RoutePrefix);
        Assert.False(host.EnableForwardingHttpRequest);
        Assert.Equal(5, host.Queues.MaxDequeueCount);
        Assert.Equal("base64", host.Queues.MessageEncoding);
        Assert.Equal(16, host.ServiceBus.MaxConcurrentCalls);
    }

    [Fact]
    public void Parse_LegacyHttpWorkerSection_IsRead() =>
        Assert.Equal("App", HostJson.Parse("""{"version":"2.0","httpWorker":{"description":{"defaultExecutablePath":"App"}}}""").Description.DefaultExecutablePath);

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"customHandler\":{}}", "version")]
    [InlineData("{\"version\":\"2.0\"}", "customHandler")]
    [InlineData("{\"version\":\"2.0\",\"customHandler\":{\"description\":{}}}", "defaultExecutablePath")]
    [InlineData("{\"version\":\"2.0\",\"customHandler\":{\"description\":{\"defaultExecutablePath\":\"A\"}},\"functionTimeout\":\"ten\"}", "duration")]
    public void Parse_Invalid_SaysWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<ScriptRootException>(() => HostJson.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptRoot_WithoutHostJson_IsRefused()
    {
        var root = Directory.CreateTempSubdirectory("rtgf-empty-").FullName;
        try
        {
            Assert.Contains("no host.json", Assert.Throws<ScriptRootException>(() => ScriptRoot.Load(root)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root);
        }
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("{}", "bindings")]
    [InlineData("{\"bindings\":[{\"type\":\"queue\",\"direction\":\"out\",\"name\":\"q\"}]}", "exactly one trigger")]
    [InlineData("{\"bindings\":[{\"direction\":\"in\",\"name\":\"q\"}]}", "\"type\"")]
    public void FunctionJson_Invalid_SaysWhatIsWrong(string json, string expected) =>
        Assert.Contains(expected, Assert.Throws<ScriptRootException>(() => FunctionMetadata.Parse("f", json)).Message, StringComparison.Ordinal);
}
