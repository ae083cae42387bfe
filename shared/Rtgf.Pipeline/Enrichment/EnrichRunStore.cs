using System.Text;
using System.Text.Json;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Enrichment;

/// <summary>
/// The <c>enrichruns</c> table: the current run in one row (partition <c>current</c>, row <c>enrich</c>), so "one active run
/// at a time" is that row's compare-and-swap; each finished run is also kept under partition <c>run</c>, row = run id.
/// </summary>
public sealed class EnrichRunStore(IRecordTables tables)
{
    private const string CurrentPartition = "current";
    private const string CurrentRow = "enrich";
    private const string HistoryPartition = "run";
    private readonly IRecordTable _table = tables.Open(IngestTables.EnrichRuns);

    /// <summary>The current run and its ETag, or null before the first run.</summary>
    public async Task<(EnrichRun Run, string ETag)?> GetCurrentAsync(CancellationToken cancellationToken = default)
    {
        var stored = await _table.GetAsync(CurrentPartition, CurrentRow, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : (Read(stored.Row.Json), stored.ETag);
    }

    /// <summary>Writes the current run if the row is still at <paramref name="etag"/> (null: absent); false when another writer came first.</summary>
    public Task<bool> TryReplaceCurrentAsync(EnrichRun run, string? etag, CancellationToken cancellationToken = default) =>
        _table.TryWriteAsync(Row(CurrentPartition, CurrentRow, run), etag, cancellationToken);

    /// <summary>Keeps a finished run (idempotent: a second copy of the same run is left as it is).</summary>
    public async Task KeepAsync(EnrichRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        _ = await _table.TryWriteAsync(Row(HistoryPartition, run.RunId, run), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A kept run, or null.</summary>
    public async Task<EnrichRun?> GetKeptAsync(string runId, CancellationToken cancellationToken = default) =>
        await _table.GetAsync(HistoryPartition, runId, cancellationToken).ConfigureAwait(false) is { } stored ? Read(stored.Row.Json) : null;

    private static MirrorRow Row(string partition, string row, EnrichRun run)
    {
        var json = JsonSerializer.Serialize(run, EnrichJsonContext.Default.EnrichRun);
        return new MirrorRow(partition, row, "enrich-run:" + run.RunId, json, RecordRows.DigestOf(Encoding.UTF8.GetBytes(json)), run.UpdatedAt, false, run.RunId);
    }

    private static EnrichRun Read(string json) =>
        JsonSerializer.Deserialize(json, EnrichJsonContext.Default.EnrichRun) ?? throw new InvalidDataException("An enrichruns row holds no run.");
}
