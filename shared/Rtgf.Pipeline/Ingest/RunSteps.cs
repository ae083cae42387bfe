namespace Rtgf.Pipeline.Ingest;

/// <summary>Collects a run's named steps with counts and durations (from the injected clock).</summary>
internal sealed class RunSteps(TimeProvider time)
{
    private readonly List<IngestStep> _steps = [];

    public IReadOnlyList<IngestStep> Steps => _steps;

    /// <summary>The step in progress (named in the error line when it fails).</summary>
    public string? Current { get; private set; }

    public async Task<T> RunAsync<T>(string name, Func<Task<T>> work, Func<T, long> count)
    {
        Current = name;
        var start = time.GetTimestamp();
        var result = await work().ConfigureAwait(false);
        _steps.Add(new IngestStep(name, count(result), (long)time.GetElapsedTime(start).TotalMilliseconds));
        Current = null;
        return result;
    }

    public T Run<T>(string name, Func<T> work, Func<T, long> count)
    {
        Current = name;
        var start = time.GetTimestamp();
        var result = work();
        _steps.Add(new IngestStep(name, count(result), (long)time.GetElapsedTime(start).TotalMilliseconds));
        Current = null;
        return result;
    }
}
