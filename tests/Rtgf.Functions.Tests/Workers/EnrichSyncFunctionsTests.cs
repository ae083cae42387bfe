using Rtgf.Functions.Functions;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Tests.Workers;

/// <summary>The enrichment self-chain's functions have the triggers docs/spec/enrichment.md names; the worker sends the successors itself.</summary>
public sealed class EnrichSyncFunctionsTests
{
    private static readonly FunctionIndex Index = FunctionIndex.ForApp();

    [Fact]
    public void EnrichSync_IsATimerOnItsScheduleSetting_AndThePageFunctionIsTheQueueTrigger_NeitherHasAnOutputBinding()
    {
        var timer = Index["enrich-sync"];
        var page = Index["enrich-sync-page"];

        Assert.Equal("%ENRICH_SYNC_SCHEDULE%", timer.Schedule);
        Assert.Equal(PipelineQueues.EnrichSync, page.QueueName);
        Assert.Empty(timer.Outputs);
        Assert.Empty(page.Outputs);
    }
}
