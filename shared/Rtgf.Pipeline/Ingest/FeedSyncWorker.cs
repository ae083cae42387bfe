using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The timer worker of a whole-list source (<c>cricos-sync</c>, <c>teqsa-sync</c>, <c>sanctions-sync</c>): fetch and parse
/// everything, and only when it all parsed and differs from the latest snapshot, write the list as a new generation
/// (partition = run id) of its Layer-1 tables, swap the source's generation pointer, drop the old generation, cut the
/// snapshot and ask for a compile. Readers follow the pointer, so they see the old list or the new one, never a mix.
/// </summary>
public sealed class FeedSyncWorker(
    IFeedSource feed, IRecordTables tables, ISnapshotStore snapshots, IIngestRunLog runs, ISourceStateStore states, IRawPayloadStore raw, TimeProvider time)
{
    private const int ChunkSize = 100;
    private readonly RunRecorder _recorder = new(runs, states, time);

    public string Source => feed.Source;

    public async Task<IngestOutcome> RunAsync(IngestTrigger trigger, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var runId = IngestRunIds.For(feed.Source, now);
        var state = await states.GetAsync(feed.Source, cancellationToken).ConfigureAwait(false);
        var run = new IngestRun(runId, feed.Source, trigger, now, IngestRunStatus.Running, PreviousSnapshotDigest: state.SnapshotDigest);
        if (!await runs.TryStartAsync(run, cancellationToken).ConfigureAwait(false))
        {
            var existing = await runs.GetAsync(feed.Source, runId, cancellationToken).ConfigureAwait(false);
            return new IngestOutcome(existing?.Run ?? run, null); // the same trigger again: that run speaks for it
        }

        var steps = new RunSteps(time);
        try
        {
            FeedFetch fetched;
            using (RawPayloadCapture.Begin(raw, $"{feed.Source}/{runId}/"))
            {
                fetched = await steps.RunAsync("fetch", () => feed.FetchAsync(cancellationToken), f => f.Records.Count).ConfigureAwait(false);
            }

            var snapshot = steps.Run(
                "build-snapshot",
                () => SnapshotBuilder.Build(feed.Source, runId, now, fetched.Provenance, fetched.Records.Select(r => r.Record)),
                s => s.Manifest.RecordCount);
            run = run with { Records = snapshot.Manifest.RecordCount };
            if (snapshot.Manifest.Digest == state.SnapshotDigest && state.Generation is not null)
            {
                var unchanged = await _recorder.CompleteAsync(run with { Status = IngestRunStatus.NoChange, SnapshotDigest = state.SnapshotDigest, Steps = steps.Steps }, cancellationToken).ConfigureAwait(false);
                return new IngestOutcome(unchanged, null);
            }

            var written = await steps.RunAsync("write-tables", () => WriteGenerationAsync(runId, fetched.Records, cancellationToken), n => n).ConfigureAwait(false);
            var previousGeneration = state.Generation;
            await steps.RunAsync("swap-pointer", async () => await states.UpdateAsync(feed.Source, s => s with { Generation = runId }, cancellationToken).ConfigureAwait(false), _ => 1).ConfigureAwait(false);
            if (previousGeneration is not null && previousGeneration != runId)
            {
                await steps.RunAsync("drop-old-generation", () => DropGenerationAsync(previousGeneration, cancellationToken), n => n).ConfigureAwait(false);
            }

            var result = await steps.RunAsync("write-snapshot", () => snapshots.WriteAsync(snapshot, cancellationToken), r => r.Created ? 1 : 0).ConfigureAwait(false);
            await states.UpdateAsync(feed.Source, s => s with { SnapshotDigest = result.Manifest.Digest }, cancellationToken).ConfigureAwait(false);
            var compile = result.Created || result.Manifest.Digest != state.SnapshotDigest
                ? new CompileRequest(feed.Source, result.Manifest.Digest, runId)
                : null;
            var final = await _recorder.CompleteAsync(
                run with { Status = IngestRunStatus.Succeeded, Changed = written, SnapshotDigest = result.Manifest.Digest, Steps = steps.Steps },
                cancellationToken).ConfigureAwait(false);
            return new IngestOutcome(final, compile);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failed = await _recorder.FailAsync(run, e, steps.Current, steps.Steps, cancellationToken).ConfigureAwait(false);
            return new IngestOutcome(failed, null);
        }
    }

    /// <summary>The rows of the current generation of one of this source's tables (what readers see).</summary>
    public async Task<IReadOnlyList<MirrorRow>> ReadCurrentAsync(string table, CancellationToken cancellationToken = default)
    {
        var state = await states.GetAsync(feed.Source, cancellationToken).ConfigureAwait(false);
        return state.Generation is null
            ? []
            : [.. (await tables.Open(table).GetPartitionAsync(state.Generation, cancellationToken).ConfigureAwait(false)).Select(r => r.Row)];
    }

    private async Task<long> WriteGenerationAsync(string generation, IReadOnlyList<FeedRecord> records, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        long written = 0;
        foreach (var group in records.GroupBy(r => r.Table, StringComparer.Ordinal))
        {
            var table = tables.Open(group.Key);
            var rows = group
                .Select(r => RecordRows.From(r.Record, generation, r.Record.Key, now, generation))
                .DistinctBy(r => r.RowKey, StringComparer.Ordinal)
                .ToList();
            foreach (var chunk in rows.Chunk(ChunkSize))
            {
                if (!await table.TrySubmitAsync(generation, [.. chunk.Select(RowChange.Upsert)], cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"Writing generation {generation} of table {table.Name} was refused.");
                }

                written += chunk.Length;
            }
        }

        return written;
    }

    private async Task<long> DropGenerationAsync(string generation, CancellationToken cancellationToken)
    {
        long deleted = 0;
        foreach (var name in feed.Tables)
        {
            var table = tables.Open(name);
            var rows = await table.GetPartitionAsync(generation, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in rows.Chunk(ChunkSize))
            {
                await table.TrySubmitAsync(generation, [.. chunk.Select(r => RowChange.Delete(r.Row.RowKey))], cancellationToken).ConfigureAwait(false);
                deleted += chunk.Length;
            }
        }

        return deleted;
    }
}
