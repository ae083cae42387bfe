using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Azure.Connections;
using Rtgf.Functions.Functions;
using Rtgf.Pipeline.Messages;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Functions;

/// <summary>
/// The app's functions, as <see cref="FunctionIndex"/> reads them and as the Worker SDK declared them to the host in the
/// build output (<c>functions.metadata</c>): the two must agree, the output must be a normal isolated worker app, and
/// host.json and the sample settings must be what the worker and a local run need.
/// </summary>
public sealed class FunctionIndexTests
{
    private static readonly FunctionIndex Index = FunctionIndex.ForApp();
    private static readonly string Root = Tooling.RepositoryLayout.FindRoot();

    [Fact]
    public void Index_AgreesWithTheMetadataTheWorkerSdkWrote()
    {
        var metadata = Metadata();

        Assert.Equal(Index.Functions.Select(f => f.Name).Order(StringComparer.Ordinal), metadata.Keys.Order(StringComparer.Ordinal));
        foreach (var function in Index.Functions)
        {
            var bindings = metadata[function.Name];
            var trigger = Assert.Single(bindings, b => b["direction"]!.GetValue<string>() == "In" && b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));
            Assert.Equal(function.TriggerType, trigger["type"]!.GetValue<string>());
            Assert.Equal(function.TriggerBinding, trigger["name"]!.GetValue<string>());
            Assert.Equal(function.TriggerValue, (trigger["route"] ?? trigger["schedule"] ?? trigger["queueName"])?.GetValue<string>());
            if (function.Trigger == "http")
            {
                Assert.Equal(function.Methods, trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()).Order(StringComparer.Ordinal));
                Assert.Equal(function.AuthLevel, trigger["authLevel"]!.GetValue<string>().ToLowerInvariant());
            }

            var queues = bindings.Where(b => b["direction"]!.GetValue<string>() == "Out" && b["type"]!.GetValue<string>() == "queue")
                .Select(b => (b["name"]!.GetValue<string>(), b["queueName"]!.GetValue<string>())).Order();
            Assert.Equal(function.Outputs.Select(o => (o.Name, o.QueueName)).Order(), queues);
        }
    }

    [Fact]
    public void PipelineStages_AreChainedByTheirStorageQueues()
    {
        Assert.Equal(PipelineQueues.Compile, Index["compile"].QueueName);
        Assert.Equal(PipelineQueues.Qa, Assert.Single(Index["compile"].Outputs).QueueName);
        Assert.Equal(PipelineQueues.Qa, Index["qa"].QueueName);
        Assert.Equal(PipelineQueues.Publish, Assert.Single(Index["qa"].Outputs).QueueName);
        Assert.Equal(PipelineQueues.Publish, Index["publish"].QueueName);
        Assert.Equal(PipelineQueues.StatsCache, Assert.Single(Index["publish"].Outputs).QueueName);
        Assert.Equal(PipelineQueues.StatsCache, Index["stats-cache"].QueueName);
        Assert.Empty(Index["stats-cache"].Outputs);
    }

    [Fact]
    public void QueueBindings_UseTheStoresConnection_WhichTheHostCannotReadAsItsOwn()
    {
        // The host resolves a binding's connection X as "AzureWebJobs" + X first: a name it would map onto
        // AzureWebJobsStorage (or any AzureWebJobs* setting) sends the triggers to another account than the stores.
        var connections = Metadata().Values.SelectMany(b => b)
            .Where(b => b["type"]!.GetValue<string>() is "queue" or "queueTrigger")
            .Select(b => b["connection"]?.GetValue<string>())
            .Distinct()
            .ToList();

        Assert.Equal([StorageConnection.DefaultName], connections);
        Assert.False(StorageConnection.DefaultName.StartsWith("AzureWebJobs", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void PipelineNeedsNoServiceBus_AndTheDelayedSenderEncodesAsHostJsonDecodes()
    {
        // Pipeline queues are Storage queues (ADR 0018); publish re-queues waiting requests through its own client.
        Assert.DoesNotContain(Metadata().Values.SelectMany(b => b), b => b["type"]!.GetValue<string>().StartsWith("serviceBus", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(global::Azure.Storage.Queues.QueueMessageEncoding.Base64, Rtgf.Azure.Pipeline.Messages.StorageQueueSender.Encoding);
        Assert.Equal("base64", HostJson()["extensions"]!["queues"]!["messageEncoding"]!.GetValue<string>());
    }

    [Fact]
    public void BuildOutput_IsANormalIsolatedWorkerApp()
    {
        var output = BuildOutput.Directory("Rtgf.Functions");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "worker.config.json")))!["description"]!;

        Assert.Equal("dotnet", config["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal("Rtgf.Functions.dll", config["defaultWorkerPath"]!.GetValue<string>());
        Assert.Equal("true", config["workerIndexing"]!.ToString(), StringComparer.OrdinalIgnoreCase);
        Assert.True(File.Exists(Path.Combine(output, "extensions.json")), "the SDK writes extensions.json for the host's extensions");
        Assert.Equal(File.ReadAllText(Path.Combine(Root, "host.json")), File.ReadAllText(Path.Combine(output, "host.json")));
    }

    [Fact]
    public void HostJson_IsWhatTheWorkerNeeds()
    {
        var host = HostJson();

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Null(host["customHandler"]);
        Assert.Null(host["extensionBundle"]); // an isolated worker brings its extensions (extensions.json)
        Assert.Equal(string.Empty, host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Equal(5, host["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>());
        Assert.NotNull(host["functionTimeout"]);
    }

    [Fact]
    public void LocalSettingsSample_DefinesEverySettingALocalRunNeeds()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "local.settings.sample.json")));
        var values = document.RootElement.GetProperty("Values");

        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty(StorageConnection.DefaultName).GetString());
        Assert.All(Index.Functions.SelectMany(f => f.ReferencedSettings), setting => Assert.True(values.TryGetProperty(setting, out _), $"local.settings.sample.json lacks {setting}"));
        Assert.Equal(7071, document.RootElement.GetProperty("Host").GetProperty("LocalHttpPort").GetInt32());
    }

    [Theory]
    [InlineData("tokens/{id}", "tokens/{tokenId}")]
    [InlineData("tokens/{id}", "Tokens/{ID}")]
    [InlineData("log/tile/{*path}", "log/tile/{*rest}")]
    public void DuplicateRoutes_AreFound_WhateverTheirParametersAreNamed(string first, string second)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new FunctionIndex([Http("First", first), Http("Second", second)]));

        Assert.Contains("is served by First, Second", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tokens/{id}", "tokens/{id}/proof")]
    [InlineData("tokens/{id}", "tokens/latest")]
    [InlineData("log/tile/{*path}", "log/tile/{path}")]
    public void DistinctRoutes_AreAccepted(string first, string second)
    {
        var index = new FunctionIndex([Http("First", first), Http("Second", second)]);

        Assert.Equal(2, index.Functions.Count);
    }

    private static FunctionEntry Http(string name, string route) =>
        new(name, "http", "request", route, ["get"], "anonymous", null, null, "tokens", null, null, [], typeof(FunctionIndexTests).GetMethod(nameof(Http), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!);

    private static JsonNode HostJson() => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "host.json")))!;

    private static Dictionary<string, List<JsonNode>> Metadata() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(BuildOutput.Directory("Rtgf.Functions"), "functions.metadata")))!.AsArray()
            .ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["bindings"]!.AsArray().Select(b => b!).ToList(), StringComparer.Ordinal);
}
