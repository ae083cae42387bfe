using Rtgf.LocalRunner.Hosting;

namespace Rtgf.LocalRunner.Tests.Hosting;

/// <summary><c>run</c> finds the runner of its checkout through the state file, and never a runner that has gone.</summary>
public sealed class RunnerStateTests : IDisposable
{
    private readonly string _checkout = Directory.CreateTempSubdirectory("rtgf-state-").FullName;

    [Fact]
    public void ARunningRunnersPort_IsFound()
    {
        RunnerState.Write(_checkout, 7345, Environment.ProcessId);

        Assert.Equal(7345, RunnerState.RunningPort(_checkout));
    }

    [Fact]
    public void AStateFileLeftByAProcessThatHasGone_IsIgnored()
    {
        RunnerState.Write(_checkout, 7345, int.MaxValue);

        Assert.Null(RunnerState.RunningPort(_checkout));
    }

    [Fact]
    public void Remove_DeletesOnlyTheWritersOwnState()
    {
        RunnerState.Write(_checkout, 7345, Environment.ProcessId);

        RunnerState.Remove(_checkout, Environment.ProcessId + 1);
        Assert.Equal(7345, RunnerState.RunningPort(_checkout));
        RunnerState.Remove(_checkout, Environment.ProcessId);
        Assert.Null(RunnerState.RunningPort(_checkout));
    }

    public void Dispose() => Directory.Delete(_checkout, recursive: true);
}
