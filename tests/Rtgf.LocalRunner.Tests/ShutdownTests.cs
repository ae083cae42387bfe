using System.Diagnostics;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests;

/// <summary>Ctrl-C stops the runner cleanly, and nothing it started outlives it.</summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-shutdown-").FullName;

    [Fact]
    public async Task CtrlC_StopsTheRunnerTheWorkerAndAzurite()
    {
        var events = new EventLog();
        await using var runner = EndToEndTests.StartRunner(_directory, events, "0 0 0 1 1 *");
        var ready = await Eventually.ProbeAsync(() => Task.FromResult(events.OfKind("ready").FirstOrDefault()), e => e is not null || runner.HasExited, TimeSpan.FromSeconds(60), "the runner to be ready");
        Assert.NotNull(ready);
        var workerPid = (int)ready["workerPid"]!;
        var azuritePid = (int)events.OfKind("azurite").Single()["pid"]!;

        Assert.True(runner.Interrupt(), "SIGINT could not be sent");
        await runner.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, runner.ExitCode);
        Assert.Equal("stopped", (string?)events.Events[^1]["event"]);
        Assert.Contains(events.Events, e => (string?)e["event"] == "stopping");
        Assert.False(IsAlive(workerPid), "the worker outlived the runner");
        Assert.False(IsAlive(azuritePid), "Azurite outlived the runner");
    }

    [Fact]
    public async Task CtrlCInATerminal_ReachesOnlyTheRunner_WhichStopsTheWorkerAndAzuriteInOrder()
    {
        var events = new EventLog();
        await using var runner = EndToEndTests.StartRunner(_directory, events, "0 0 0 1 1 *");
        var ready = await Eventually.ProbeAsync(() => Task.FromResult(events.OfKind("ready").FirstOrDefault()), e => e is not null || runner.HasExited, TimeSpan.FromSeconds(60), "the runner to be ready");
        Assert.NotNull(ready);

        // A terminal's Ctrl-C goes to its whole foreground process group: the runner's (it leads its own here).
        Assert.True(runner.InterruptGroup(), "SIGINT could not be sent to the runner's process group");
        await runner.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, runner.ExitCode);
        var steps = events.OfKind("shutdown").ToList();
        Assert.Equal(["drained", "worker", "azurite"], steps.Select(e => (string?)e["step"]));
        Assert.All(steps, e => Assert.False((bool?)e["alreadyExited"], $"{e["step"]}: the child had already exited, so it got the Ctrl-C itself"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
