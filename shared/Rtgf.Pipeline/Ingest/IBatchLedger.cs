namespace Rtgf.Pipeline.Ingest;

/// <summary>The per-run batch ledger of the TGA fan-out (table <c>ingestbatches</c>): which batches have committed.</summary>
public interface IBatchLedger
{
    /// <summary>Writes batches 1..<paramref name="batches"/> as pending (idempotent).</summary>
    Task CreateAsync(string runId, int batches, CancellationToken cancellationToken = default);

    /// <summary>Marks one batch committed with its counts (idempotent: the first commit's counts stay).</summary>
    Task MarkDoneAsync(string runId, int batch, long records, long changed, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<BatchEntry>> GetAsync(string runId, CancellationToken cancellationToken = default);
}
