namespace Rtgf.Pipeline.Ingest;

/// <summary>The ingest-runs table: one row per run of every worker, keyed by source and run id.</summary>
public interface IIngestRunLog
{
    /// <summary>Records a new run; false when a run with that id already exists (the same trigger fired again).</summary>
    Task<bool> TryStartAsync(IngestRun run, CancellationToken cancellationToken = default);

    /// <summary>The run and its version tag, or null.</summary>
    Task<(IngestRun Run, string ETag)?> GetAsync(string source, string runId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the run if it is still at <paramref name="etag"/>; false when someone else changed it first.</summary>
    Task<bool> TryReplaceAsync(IngestRun run, string etag, CancellationToken cancellationToken = default);

    /// <summary>Replaces the run unconditionally (the only writer of a timer run is its own invocation).</summary>
    Task ReplaceAsync(IngestRun run, CancellationToken cancellationToken = default);

    /// <summary>The source's runs in the given status, oldest first.</summary>
    Task<IReadOnlyList<IngestRun>> ListAsync(string source, string? status = null, CancellationToken cancellationToken = default);
}
