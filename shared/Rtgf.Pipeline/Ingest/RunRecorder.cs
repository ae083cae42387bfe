using Rtgf.Core.Telemetry;

namespace Rtgf.Pipeline.Ingest;

/// <summary>Writes a run's final row and the source's last-run summary (what the watchtower reads) together.</summary>
internal sealed class RunRecorder(IIngestRunLog runs, ISourceStateStore states, TimeProvider time)
{
    public TimeProvider Time => time;

    /// <summary>Replaces the run with its final state and updates the source's summary.</summary>
    public async Task<IngestRun> CompleteAsync(IngestRun run, CancellationToken cancellationToken)
    {
        var final = run with { EndedAt = time.GetUtcNow() };
        await runs.ReplaceAsync(final, cancellationToken).ConfigureAwait(false);

        // Counted once the failed run is stored: a write that throws is retried, and would otherwise count twice.
        if (final.Status == IngestRunStatus.Failed)
        {
            RtgfMetrics.DatasetFetchFailureCount.Add(1, new KeyValuePair<string, object?>("source", final.Source));
        }

        await SummariseAsync(final, cancellationToken).ConfigureAwait(false);
        return final;
    }

    public Task SummariseAsync(IngestRun final, CancellationToken cancellationToken) =>
        states.UpdateAsync(final.Source, s => final.Status == IngestRunStatus.Failed
            ? s with { LastRunId = final.RunId, LastStatus = final.Status, LastError = final.Error, LastErrorAt = final.EndedAt }
            : s with { LastRunId = final.RunId, LastStatus = final.Status, LastSuccessAt = final.EndedAt, LastSuccessRunId = final.RunId },
            cancellationToken);

    public Task<IngestRun> FailAsync(IngestRun run, Exception exception, string? step, IReadOnlyList<IngestStep> steps, CancellationToken cancellationToken) =>
        CompleteAsync(run with { Status = IngestRunStatus.Failed, Error = ErrorLines.For(exception, step), Steps = steps }, cancellationToken);
}
