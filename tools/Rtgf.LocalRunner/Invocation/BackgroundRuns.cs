using System.Collections.Concurrent;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>
/// Admin runs nobody waits for (<c>run</c> without <c>?wait=true</c>): kept so that stopping drains them like the
/// triggers' invocations, and whatever they throw is reported rather than lost.
/// </summary>
internal sealed class BackgroundRuns(RunnerEvents events)
{
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    public void Start(string function, Func<Task> run)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await run().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                events.Emit("warning", ("function", function), ("message", "the run failed in the runner: " + e.Message.Split('\n')[0]));
            }
        });

        // Removed only after it was added: the continuation is registered after the add.
        _running.TryAdd(task, true);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every run started so far has finished.</summary>
    public Task WhenAllAsync() => Task.WhenAll(_running.Keys);
}
