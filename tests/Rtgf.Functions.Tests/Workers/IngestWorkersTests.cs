using Rtgf.Functions.Functions;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Tests.Workers;

/// <summary>The ingest workers are functions with the triggers and outputs docs/spec/ingest.md names.</summary>
public sealed class IngestWorkersTests
{
    private static readonly FunctionIndex Index = FunctionIndex.ForApp();

    [Fact]
    public void TgaSync_IsATimerOnItsScheduleSetting_FanningOutToTheIngestQueue()
    {
        var function = Index["tga-sync"];

        Assert.Equal("%TGA_SYNC_SCHEDULE%", function.Schedule);
        Assert.Equal(PipelineQueues.TgaIngest, Assert.Single(function.Outputs).QueueName);
    }

    [Fact]
    public void TgaIngest_IsTriggeredByTheIngestQueue_AndSendsCompileRequests()
    {
        var function = Index["tga-ingest"];

        Assert.Equal(PipelineQueues.TgaIngest, function.QueueName);
        Assert.Equal(PipelineQueues.Compile, Assert.Single(function.Outputs).QueueName);
    }

    [Theory]
    [InlineData("cricos-sync", "%CRICOS_SYNC_SCHEDULE%")]
    [InlineData("teqsa-sync", "%TEQSA_SYNC_SCHEDULE%")]
    [InlineData("sanctions-sync", "%SANCTIONS_SYNC_SCHEDULE%")]
    [InlineData("abs-sync", "%ABS_SYNC_SCHEDULE%")]
    [InlineData("osl-sync", "%OSL_SYNC_SCHEDULE%")]
    [InlineData("ivi-sync", "%IVI_SYNC_SCHEDULE%")]
    public void FeedSync_IsATimerOnItsScheduleSetting_SendingCompileRequests(string name, string schedule)
    {
        var function = Index[name];

        Assert.Equal(schedule, function.Schedule);
        Assert.Equal(PipelineQueues.Compile, Assert.Single(function.Outputs).QueueName);
    }

    /// <summary>No token family reads the magda or calendar snapshot, so their timers ask for no compile.</summary>
    [Theory]
    [InlineData("magda-monitor", "%MAGDA_MONITOR_SCHEDULE%")]
    [InlineData("calendar-sync", "%CALENDAR_SYNC_SCHEDULE%")]
    public void SnapshotsNoTokenReads_AreTimersOnTheirScheduleSetting_AskingForNoCompile(string name, string schedule)
    {
        var function = Index[name];

        Assert.Equal(schedule, function.Schedule);
        Assert.Empty(function.Outputs);
    }

    [Fact]
    public void RadarCrawl_IsATimerOnItsScheduleSetting_WithoutOutputs()
    {
        var function = Index["radar-crawl"];

        Assert.Equal("%RADAR_CRAWL_SCHEDULE%", function.Schedule);
        Assert.Empty(function.Outputs);
    }
}
