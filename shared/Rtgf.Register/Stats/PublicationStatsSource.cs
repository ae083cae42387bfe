using Rtgf.Pipeline.Stats;

namespace Rtgf.Register.Stats;

/// <summary>The statistics document of a build as served: its bytes and whether they are the stored document.</summary>
public sealed record StatsDocument(string BuildId, byte[] Content, bool Stored);

/// <summary>
/// What <c>/v1/stats</c> answers for a build: the stored document (immutable per build id, so held once read), or until
/// the <c>stats-cache</c> worker has stored it, the same computation (<see cref="PublicationStatsCalculator"/>) marked
/// <c>stored: false</c>, computed once per instance and build (concurrent requests share it; a failure is retried by the
/// next request). The store is asked again on each request until it has the document: invalidation is by publication
/// (a new build id), never by time.
/// </summary>
public sealed class PublicationStatsSource(IStatsDocumentStore documents, PublicationStatsCalculator calculator)
{
    private readonly Lock _gate = new();
    private StatsDocument? _stored;
    private (string BuildId, Task<StatsDocument> Task)? _computed;

    /// <exception cref="PublicationStatsException">The statistics cannot be computed (see the calculator).</exception>
    public async Task<StatsDocument> GetAsync(string buildId, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _stored) is { } held && held.BuildId == buildId)
        {
            return held;
        }

        if (await documents.GetAsync(buildId, cancellationToken).ConfigureAwait(false) is { } bytes)
        {
            var stored = new StatsDocument(buildId, bytes.ToArray(), Stored: true);
            Volatile.Write(ref _stored, stored);
            lock (_gate)
            {
                _computed = null;
            }

            return stored;
        }

        Task<StatsDocument> computing;
        lock (_gate)
        {
            if (_computed is not { } c || c.BuildId != buildId || c.Task.IsFaulted || c.Task.IsCanceled)
            {
                // Not tied to this request: other requests for the build wait on the same computation.
                _computed = c = (buildId, Task.Run(() => ComputeAsync(buildId)));
            }

            computing = c.Task;
        }

        return await computing.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<StatsDocument> ComputeAsync(string buildId)
    {
        var stats = await calculator.ComputeAsync(buildId, stored: false, CancellationToken.None).ConfigureAwait(false);
        return new StatsDocument(buildId, StatsJson.Serialize(stats), Stored: false);
    }
}
