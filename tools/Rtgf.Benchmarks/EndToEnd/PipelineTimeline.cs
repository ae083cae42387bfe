using System.Globalization;
using System.Text.RegularExpressions;

namespace Rtgf.Benchmarks.EndToEnd;

/// <summary>One row of the timeline: a phase, when it ended, how long it took from the previous row, and the time functions spent in it.</summary>
internal sealed record Phase(string Name, DateTimeOffset? End, TimeSpan? Wall, TimeSpan? Busy, string Note);

/// <summary>
/// Where the time of one pass through the pipeline went, read from the runner's events: every <c>invocation</c>
/// event carries its end time and duration, and each function's own log lines (<c>log</c> events with the same
/// invocation id) say which invocation finalised the ingest, stored the build and published. A phase runs from the end of the
/// previous one to the end of its own, so queue pick-up delays count where they happen.
/// </summary>
internal sealed partial class PipelineTimeline
{
    private readonly IReadOnlyList<RunnerEvent> _events;
    private readonly List<Phase> _phases = [];
    private DateTimeOffset _last;

    public PipelineTimeline(IReadOnlyList<RunnerEvent> events, DateTimeOffset start)
    {
        _events = events;
        _last = start;
    }

    public IReadOnlyList<Phase> Phases => _phases;

    /// <summary>A point the bench itself observed (start, a trigger, the API's answer).</summary>
    public void Mark(string name, DateTimeOffset at, string note = "") => Add(name, at, null, note);

    /// <summary>The syncs: each one's succeeded invocation; the phase ends with the last.</summary>
    public void Syncs(IReadOnlyList<string> functions)
    {
        var runs = functions.Select(f => _events.FirstOrDefault(e => e.IsInvocation(f))).ToList();
        var notes = runs.Select((r, i) => r is null ? $"{functions[i]} –" : $"{functions[i]} {Seconds(r.Duration)}").ToList();
        if (LogOf(runs[0], "TGA sync") is { } tga)
        {
            notes.Add(Summary(tga));
        }

        Add("sync", runs.All(r => r is not null) ? runs.Max(r => r!.Time) : null, Busy(runs), string.Join("; ", notes));
    }

    /// <summary>
    /// The TGA ingest fan-out: every batch up to the invocation that finalised the run (then a phase of its own: it
    /// reads the mirror back and writes the snapshot).
    /// </summary>
    public void Ingest()
    {
        var ingests = _events.Where(e => e.IsInvocation("tga-ingest", succeeded: false)).ToList();
        var finaliser = ingests.FirstOrDefault(e => LogOf(e, "Finalised") is not null);
        var batches = finaliser is null ? ingests : ingests.Where(e => e != finaliser && e.Time <= finaliser.Time).ToList();
        var failed = batches.Count(e => e.String("outcome") != "succeeded");
        var busy = batches.Aggregate(TimeSpan.Zero, (sum, e) => sum + e.Duration);
        var lastBatch = batches.Count == 0 ? (DateTimeOffset?)null : batches.Max(e => e.Time);
        var span = batches.Count == 0 ? TimeSpan.Zero : lastBatch!.Value - batches.Min(e => e.Time - e.Duration);
        var parallelism = span.TotalSeconds > 0 ? busy / span : 0;
        Add(
            "ingest fan-out (tga-ingest batches)",
            finaliser is null ? lastBatch : finaliser.Time - finaliser.Duration,
            busy,
            batches.Count == 0
                ? "no batch before the one that finalised the run"
                : string.Create(CultureInfo.InvariantCulture, $"{batches.Count} batch invocations{(failed > 0 ? $" ({failed} failed, retried)" : string.Empty)}, {parallelism:0.0} running on average"));
        Add("ingest finalise (mirror read back, TGA snapshot)", finaliser?.Time, finaliser?.Duration, finaliser is null ? "no invocation finalised the run" : "one invocation: its own batch, then the whole mirror read back and the snapshot written");
    }

    /// <summary>The compile that stored a build, then its QA, then the publish that issued it.</summary>
    public void CompileQaPublish()
    {
        var compiles = _events.Where(e => e.IsInvocation("compile")).ToList();
        var compile = compiles.FirstOrDefault(e => LogOf(e, "QA requested") is not null);
        var waited = compiles.Count(e => LogOf(e, "not every source") is not null && (compile is null || e.Time < compile.Time));
        Add("compile (build stored)", compile?.Time, compile?.Duration, compile is null ? "no build stored" : Summary(LogOf(compile, "QA requested")!) + (waited > 0 ? $"; {waited} earlier compile(s) found a source without a snapshot" : string.Empty));

        var qa = compile is null ? null : _events.FirstOrDefault(e => e.IsInvocation("qa") && e.Time >= compile.Time);
        Add("QA (recompile, byte comparison)", qa?.Time, qa?.Duration, qa is null ? "no QA succeeded" : string.Empty);

        var publishes = qa is null ? [] : _events.Where(e => e.IsInvocation("publish") && e.Time >= qa.Time).ToList();
        var publish = publishes.FirstOrDefault(e => LogOf(e, " issued, ") is not null);
        var waits = publishes.Count(e => LogOf(e, " waits ") is not null && (publish is null || e.Time < publish.Time));
        Add("publish (sign, log, registry, status lists)", publish?.Time, publish?.Duration, publish is null ? "no publication" : Summary(LogOf(publish, " issued, ")!) + (waits > 0 ? $"; waited {waits} time(s) first" : string.Empty));
    }

    private void Add(string name, DateTimeOffset? end, TimeSpan? busy, string note)
    {
        _phases.Add(new Phase(name, end, end - _last, busy, note));
        if (end is { } at)
        {
            _last = at;
        }
    }

    // The function's own log line of that invocation, if it contains the marker.
    private string? LogOf(RunnerEvent? invocation, string marker)
    {
        if (invocation?.String("invocationId") is not { } id)
        {
            return null;
        }

        return _events.Where(e => e.Kind == "log" && e.String("invocationId") == id)
            .Select(e => e.String("message"))
            .FirstOrDefault(l => l is not null && l.Contains(marker, StringComparison.Ordinal));
    }

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString(span < TimeSpan.FromSeconds(1) ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s";

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex Digest();

    private static TimeSpan? Busy(IEnumerable<RunnerEvent?> runs) => runs.Aggregate((TimeSpan?)TimeSpan.Zero, (sum, e) => e is null ? sum : sum + e.Duration);

    // Drops the run/build ids (long digests) from a function's log line, keeping what it did.
    private static string Summary(string line)
    {
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        var text = colon >= 0 ? line[(colon + 2)..] : line;
        return Digest().Replace(text, m => m.Value[..15] + "…").TrimEnd('.');
    }
}
