using Microsoft.AspNetCore.Mvc.Testing;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Tests.Workers;

/// <summary>The ingest workers are in the app's one catalogue with the triggers and outputs docs/spec/ingest.md names.</summary>
public sealed class IngestWorkersTests(WebApplicationFactory<Program> app) : IClassFixture<WebApplicationFactory<Program>>
{
    private FunctionCatalog Catalog => app.Services.GetRequiredService<FunctionCatalog>();

    [Fact]
    public void TgaSync_IsATimerOnItsScheduleSetting_FanningOutToTheIngestQueue()
    {
        var function = Catalog["tga-sync"];

        Assert.Equal("%TGA_SYNC_SCHEDULE%", Assert.IsType<TimerTrigger>(function.Trigger).Schedule);
        var output = Assert.IsType<QueueOutput>(Assert.Single(function.Outputs));
        Assert.Equal(PipelineQueues.TgaIngest, output.QueueName);
        Assert.Equal("batches", output.Name);
    }

    [Fact]
    public void TgaIngest_IsTriggeredByTheIngestQueue_AndSendsCompileRequests()
    {
        var function = Catalog["tga-ingest"];

        Assert.Equal(PipelineQueues.TgaIngest, Assert.IsType<QueueTrigger>(function.Trigger).QueueName);
        Assert.Equal(PipelineQueues.Compile, Assert.IsType<QueueOutput>(Assert.Single(function.Outputs)).QueueName);
    }

    [Theory]
    [InlineData("cricos-sync", "%CRICOS_SYNC_SCHEDULE%")]
    [InlineData("teqsa-sync", "%TEQSA_SYNC_SCHEDULE%")]
    [InlineData("sanctions-sync", "%SANCTIONS_SYNC_SCHEDULE%")]
    public void FeedSync_IsATimerOnItsScheduleSetting_SendingCompileRequests(string name, string schedule)
    {
        var function = Catalog[name];

        Assert.Equal(schedule, Assert.IsType<TimerTrigger>(function.Trigger).Schedule);
        Assert.Equal(PipelineQueues.Compile, Assert.IsType<QueueOutput>(Assert.Single(function.Outputs)).QueueName);
    }

    [Theory]
    [InlineData("tga-sync")]
    [InlineData("tga-ingest")]
    [InlineData("cricos-sync")]
    [InlineData("teqsa-sync")]
    [InlineData("sanctions-sync")]
    public void EveryIngestFunction_HasAHandler(string name)
    {
        Assert.True(Catalog[name].ReceivesEnvelopes);
        Assert.True(app.Services.GetRequiredService<IServiceProviderIsKeyedService>().IsKeyedService(typeof(IFunctionHandler), name), $"no handler for {name}");
    }
}
