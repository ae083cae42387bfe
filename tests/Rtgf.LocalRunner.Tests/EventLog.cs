using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace Rtgf.LocalRunner.Tests;

/// <summary>Collects the runner's JSON event lines so tests can wait for and inspect them.</summary>
public sealed class EventLog : TextWriter
{
    private readonly ConcurrentQueue<JsonObject> _events = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<JsonObject> Events => [.. _events];

    public IEnumerable<JsonObject> OfKind(string kind, string? function = null) =>
        Events.Where(e => (string?)e["event"] == kind && (function is null || (string?)e["function"] == function));

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
        if (JsonNode.Parse(line) is JsonObject e)
        {
            _events.Enqueue(e);
        }
    }
}
