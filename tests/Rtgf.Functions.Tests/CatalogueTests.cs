using Microsoft.AspNetCore.Mvc.Testing;
using Rtgf.Azure.Connections;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;
using Rtgf.CustomHandler.Metadata;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests;

/// <summary>The app's one catalogue against its endpoints and against the script root the build generated.</summary>
public sealed class CatalogueTests(WebApplicationFactory<Program> app) : IClassFixture<WebApplicationFactory<Program>>
{
    private FunctionCatalog Catalog => app.Services.GetRequiredService<FunctionCatalog>();

    [Fact]
    public void EveryFunctionHasAnEndpoint_AndEveryEndpointAFunction()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        Assert.Empty(CatalogCoverage.Check(Catalog, endpoints));
    }

    [Fact]
    public void Catalogue_HasOneForwardedFunctionPerApiArea()
    {
        var http = Catalog.Where(f => f.Trigger is HttpTrigger).ToList();
        Assert.Equal(["billing-webhook", "catalog", "log", "mcp", "openapi", "operations", "public-api", "registry", "revocations", "tokens", "verifier"], http.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(http, f => Assert.True(f.IsForwardedHttp, f.Name));
        Assert.Equal(AuthorizationLevel.Admin, ((HttpTrigger)Catalog["operations"].Trigger).AuthLevel);
        Assert.Equal(AuthorizationLevel.Function, ((HttpTrigger)Catalog["mcp"].Trigger).AuthLevel);
    }

    [Fact]
    public void Catalogue_HasThePipelineStagesChainedByTheirStorageQueues()
    {
        Assert.Equal("rtgf-compile", Assert.IsType<QueueTrigger>(Catalog["compile"].Trigger).QueueName);
        Assert.Equal("rtgf-qa", Assert.IsType<QueueOutput>(Assert.Single(Catalog["compile"].Outputs)).QueueName);
        Assert.Equal("rtgf-qa", Assert.IsType<QueueTrigger>(Catalog["qa"].Trigger).QueueName);
        Assert.Equal("rtgf-publish", Assert.IsType<QueueOutput>(Assert.Single(Catalog["qa"].Outputs)).QueueName);
        Assert.Equal("rtgf-publish", Assert.IsType<QueueTrigger>(Catalog["publish"].Trigger).QueueName);
        Assert.Empty(Catalog["publish"].Outputs);
    }

    [Fact]
    public void Catalogue_NeedsNoServiceBus_AndTheDelayedSenderEncodesAsHostJsonDecodes()
    {
        // Pipeline queues are Storage queues (brief, 2026-12-04); publish re-queues waiting requests through its own client.
        Assert.DoesNotContain(Catalog, f => f.Trigger is ServiceBusTrigger || f.Outputs.Any(o => o is ServiceBusOutput));
        var host = HostJson.Parse(File.ReadAllText(Path.Combine(Tooling.RepositoryLayout.FindRoot(), "host.json")));
        Assert.Equal(global::Azure.Storage.Queues.QueueMessageEncoding.Base64, Rtgf.Azure.Pipeline.Messages.StorageQueueSender.Encoding);
        Assert.Equal("base64", host.Queues.MessageEncoding);
    }

    [Fact]
    public void QueueBindings_UseTheStoresConnection_WhichTheHostCannotReadAsItsOwn()
    {
        // The host resolves a binding's connection X as "AzureWebJobs" + X first: a name it would map onto
        // AzureWebJobsStorage (or any AzureWebJobs* setting) sends the triggers to another account than the stores.
        var bindings = Catalog.SelectMany(f => f.Trigger is IQueueBinding trigger ? f.Outputs.OfType<IQueueBinding>().Append(trigger) : f.Outputs.OfType<IQueueBinding>());
        var connections = bindings.Select(b => b.Connection).Distinct().ToList();

        Assert.Equal([StorageConnection.DefaultName], connections);
        Assert.False(StorageConnection.DefaultName.StartsWith("AzureWebJobs", StringComparison.OrdinalIgnoreCase));
        Assert.NotEqual("Storage", StorageConnection.DefaultName, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void BuildOutput_IsAScriptRootWithExactlyTheCataloguesFunctionJson()
    {
        var scriptRoot = ScriptRoot.Load(BuildOutput.Directory("Rtgf.Functions"));

        Assert.Equal(Catalog.Select(f => f.Name), scriptRoot.Functions.Select(f => f.Name));
        foreach (var function in Catalog)
        {
            var written = File.ReadAllText(Path.Combine(scriptRoot.Path, function.Name, FunctionJson.FileName));
            Assert.Equal(FunctionJson.Write(function), written);
            Assert.Empty(FunctionJsonSchema.Validate(written));
        }

        Assert.Equal(File.ReadAllText(Path.Combine(Tooling.RepositoryLayout.FindRoot(), "host.json")), File.ReadAllText(Path.Combine(scriptRoot.Path, "host.json")));
        Assert.True(File.Exists(Path.Combine(scriptRoot.Path, scriptRoot.Host.Description.DefaultExecutablePath)), "host.json must name the handler executable");
    }

    [Fact]
    public void HostJson_IsWhatTheHostNeedsForThisApp()
    {
        var host = HostJson.Parse(File.ReadAllText(Path.Combine(Tooling.RepositoryLayout.FindRoot(), "host.json")));

        Assert.Equal("2.0", host.Version);
        Assert.Equal("Rtgf.Functions", host.Description.DefaultExecutablePath);
        Assert.True(host.EnableForwardingHttpRequest);
        Assert.Equal(string.Empty, host.RoutePrefix);
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.ExtensionBundleId);
        Assert.Equal("[4.*, 5.0.0)", host.ExtensionBundleVersion);
        Assert.NotNull(host.FunctionTimeout);
    }

    [Fact]
    public void LocalSettingsSample_DefinesEverySettingALocalRunNeeds()
    {
        var root = Tooling.RepositoryLayout.FindRoot();
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")));
        var values = document.RootElement.GetProperty("Values");

        Assert.Equal("custom", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty(QueueTrigger.DefaultConnection).GetString());
        Assert.All(Catalog.ReferencedSettings, setting => Assert.True(values.TryGetProperty(setting, out _), $"local.settings.sample.json lacks {setting}"));
        Assert.Equal(7071, document.RootElement.GetProperty("Host").GetProperty("LocalHttpPort").GetInt32());
    }
}
