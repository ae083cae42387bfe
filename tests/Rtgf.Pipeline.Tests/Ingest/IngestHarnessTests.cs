using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>The harness drives its clock through the worker's waits, never through a timeout guarding a request in flight.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IngestHarnessTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite, attemptTimeout: TimeSpan.FromSeconds(5));

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task DriveAsync_SlowAnswerUnderAnAttemptTimeout_IsNotTimedOut()
    {
        var start = _h.Time.GetUtcNow();
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var driven = Task.Run(() => _h.DriveAsync(() => SlowCallAsync(_h.Time, inFlight, answer.Task)));
        await inFlight.Task;
        // The answer takes a while in real time (a loaded machine); however long, the driver must leave the timeout alone.
        await Task.Delay(TimeSpan.FromMilliseconds(200), Eventually.RealTime);
        answer.SetResult("answered");

        Assert.Equal("answered", await driven);
        Assert.Equal(start.AddSeconds(1), _h.Time.GetUtcNow());
    }

    /// <summary>A call as the outbound pipeline makes one: a retry delay, then an attempt under a 5 s timeout.</summary>
    private static async Task<string> SlowCallAsync(TimeProvider time, TaskCompletionSource inFlight, Task<string> answer)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), time);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        inFlight.SetResult();
        return await answer.WaitAsync(timeout.Token);
    }
}
