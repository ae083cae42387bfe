using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests;

/// <summary>Collects the runner's JSON event lines so tests can wait for and inspect them.</summary>
public sealed class EventLog : TextWriter
{
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly List<(Func<JsonObject, bool> Match, TaskCompletionSource<JsonObject> Seen)> _waiters = [];
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<JsonObject> Events => [.. _events];

    public IEnumerable<JsonObject> OfKind(string kind, string? function = null) =>
        Events.Where(e => (string?)e["event"] == kind && (function is null || (string?)e["function"] == function));

    /// <summary>
    /// The first event (already written or still to come) that <paramref name="match"/> accepts: completed by the line that
    /// writes it, so whatever the runner did before emitting the event is done when this returns.
    /// </summary>
    public Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, TimeSpan timeout, string what)
    {
        TaskCompletionSource<JsonObject> seen;
        lock (_gate)
        {
            if (_events.FirstOrDefault(match) is { } written)
            {
                return Task.FromResult(written);
            }

            seen = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, seen));
        }

        return WaitAsync();

        async Task<JsonObject> WaitAsync()
        {
            try
            {
                return await seen.Task.WaitAsync(timeout, Eventually.RealTime);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }
        }
    }

    internal RunnerEvents Runner(TimeProvider time) => new(this, RunnerOutputFormat.Json, time);

    public override void Write(char value) => throw new NotSupportedException("The runner writes whole lines.");

    public override void WriteLine(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Add(value);
        }
    }

    public void Add(string line)
    {
        if (JsonNode.Parse(line) is not JsonObject e)
        {
            return;
        }

        List<TaskCompletionSource<JsonObject>> matched;
        lock (_gate)
        {
            _events.Enqueue(e);
            matched = [.. _waiters.Where(w => w.Match(e)).Select(w => w.Seen)];
            _waiters.RemoveAll(w => matched.Contains(w.Seen));
        }

        foreach (var seen in matched)
        {
            seen.TrySetResult(e);
        }
    }
}
