using Rtgf.LocalRunner.Invocation;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests.Invocation;

/// <summary>Admin runs nobody waits for are still drained on stop, and their errors reported.</summary>
public sealed class BackgroundRunsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WhenAll_WaitsForARunStillGoing()
    {
        var events = new EventLog();
        var runs = new BackgroundRuns(events.Runner(Eventually.RealTime));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runs.Start("RunnerTick", async () =>
        {
            started.SetResult();
            await release.Task;
        });
        await started.Task.WaitAsync(Wait);

        var drained = runs.WhenAllAsync();
        Assert.False(drained.IsCompleted);
        release.SetResult();
        await drained.WaitAsync(Wait);
    }

    [Fact]
    public async Task ARunThatThrows_IsReportedAsAWarning()
    {
        var events = new EventLog();
        var runs = new BackgroundRuns(events.Runner(Eventually.RealTime));

        runs.Start("RunnerTick", () => throw new InvalidOperationException("storage went away"));

        var warning = await events.WaitForAsync(e => (string?)e["event"] == "warning", Wait, "the warning");
        Assert.Equal("RunnerTick", (string?)warning["function"]);
        Assert.Contains("storage went away", (string?)warning["message"], StringComparison.Ordinal);
        await runs.WhenAllAsync().WaitAsync(Wait);
    }
}
