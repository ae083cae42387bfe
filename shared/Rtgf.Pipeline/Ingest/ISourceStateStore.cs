namespace Rtgf.Pipeline.Ingest;

/// <summary>The watermarks table: one <see cref="SourceState"/> per source.</summary>
public interface ISourceStateStore
{
    /// <summary>The source's state; an empty state when none is stored yet.</summary>
    Task<SourceState> GetAsync(string source, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> to the current state with optimistic concurrency (re-applied on conflict).</summary>
    Task<SourceState> UpdateAsync(string source, Func<SourceState, SourceState> change, CancellationToken cancellationToken = default);
}
