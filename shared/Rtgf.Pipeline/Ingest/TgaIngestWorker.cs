using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rtgf.Ingestion;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// <c>tga-ingest</c>: applies one batch (GetDetails per code, or tombstones) to the mirror, marks it done in the ledger,
/// and when no batch of the run is pending any more, finalises the run: moves the watermark to the run's server time,
/// cuts the TGA snapshot from the whole mirror and asks for a compile when the latest snapshot changed. Finalising is
/// claimed by compare-and-swap on the run row (running → finalising → succeeded), so a duplicate delivery of the last
/// batch cannot finalise twice; every finalising step is idempotent, so a retried claimant finishes the job.
/// A message that cannot be understood is recorded in the dead-letter table and completed; upstream and storage
/// failures throw, so the host retries and finally dead-letters the message.
/// </summary>
public sealed class TgaIngestWorker(
    TgaSoapClient soap,
    TgaMirror mirror,
    IIngestRunLog runs,
    ISourceStateStore states,
    IBatchLedger ledger,
    ISnapshotStore snapshots,
    IDeadLetterLog deadLetters,
    IRawPayloadStore raw,
    IngestOptions options,
    TimeProvider time)
{
    private const int ExcerptLength = 512;
    private readonly RunRecorder _recorder = new(runs, states, time);

    public async Task<TgaIngestOutcome> RunAsync(string body, string? messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (batch, reason) = Parse(body);
        if (batch is null)
        {
            return await PoisonAsync(body, messageId, reason!, null, cancellationToken).ConfigureAwait(false);
        }

        if (await runs.GetAsync(IngestSources.Tga, batch.RunId, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return await PoisonAsync(body, messageId, $"run '{batch.RunId}' is not in the ingest-runs table", null, cancellationToken).ConfigureAwait(false);
        }

        if (batch.Batch > found.Run.Batches)
        {
            return await PoisonAsync(body, messageId, $"run '{batch.RunId}' has {found.Run.Batches} batch(es); there is no batch {batch.Batch}", found.Run, cancellationToken).ConfigureAwait(false);
        }

        if (IngestRunStatus.IsFinal(found.Run.Status))
        {
            return new TgaIngestOutcome(TgaIngestResult.RunClosed, found.Run, null);
        }

        var entry = (await ledger.GetAsync(batch.RunId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => b.Batch == batch.Batch);
        if (entry is not { Done: true })
        {
            var (records, changed) = await ApplyAsync(batch, found.Run, cancellationToken).ConfigureAwait(false);
            await ledger.MarkDoneAsync(batch.RunId, batch.Batch, records, changed, cancellationToken).ConfigureAwait(false);
        }

        // Whoever commits last sees nothing pending; a redelivered last batch gets here too and finds the run claimed or final.
        var pending = (await ledger.GetAsync(batch.RunId, cancellationToken).ConfigureAwait(false)).Count(b => !b.Done);
        if (pending > 0)
        {
            return new TgaIngestOutcome(TgaIngestResult.Committed, found.Run, null);
        }

        return await FinaliseAsync(batch.RunId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finalises a run whose batches have all committed (idempotent; see the class remarks).</summary>
    public async Task<TgaIngestOutcome> FinaliseAsync(string runId, CancellationToken cancellationToken = default)
    {
        var current = await runs.GetAsync(IngestSources.Tga, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run '{runId}' vanished from the ingest-runs table.");
        if (IngestRunStatus.IsFinal(current.Run.Status))
        {
            return new TgaIngestOutcome(TgaIngestResult.RunClosed, current.Run, null);
        }

        if (current.Run.Status == IngestRunStatus.Running)
        {
            var claimed = current.Run with { Status = IngestRunStatus.Finalising };
            if (!await runs.TryReplaceAsync(claimed, current.ETag, cancellationToken).ConfigureAwait(false))
            {
                var now = await runs.GetAsync(IngestSources.Tga, runId, cancellationToken).ConfigureAwait(false);
                return new TgaIngestOutcome(TgaIngestResult.RunClosed, now?.Run ?? current.Run, null); // another invocation claimed it
            }
        }

        var run = current.Run;
        var steps = new RunSteps(time);
        var entries = await ledger.GetAsync(runId, cancellationToken).ConfigureAwait(false);
        var serverTime = run.ServerTime ?? throw new InvalidOperationException($"Run '{runId}' has batches but no server time.");
        await steps.RunAsync("move-watermark", async () => await states.UpdateAsync(IngestSources.Tga, s => TgaSyncWorker.WindowDone(s, run, serverTime, options), cancellationToken).ConfigureAwait(false), _ => 1).ConfigureAwait(false);

        // Dated by our clock when the run started (tokens' iat/nbf come from it), like every other source: TGA's server time
        // bounds the window and is kept as provenance, but an upstream clock running ahead must not date our tokens (ADR 0014).
        var records = await steps.RunAsync("read-mirror", () => ReadMirrorAsync(cancellationToken), r => r.Count).ConfigureAwait(false);
        var snapshot = steps.Run(
            "build-snapshot",
            () => SnapshotBuilder.Build(IngestSources.Tga, runId, run.StartedAt, Provenance(serverTime), records),
            s => s.Manifest.RecordCount);
        var written = await steps.RunAsync("write-snapshot", () => snapshots.WriteAsync(snapshot, cancellationToken), r => r.Created ? 1 : 0).ConfigureAwait(false);
        await states.UpdateAsync(IngestSources.Tga, s => s with { SnapshotDigest = written.Manifest.Digest }, cancellationToken).ConfigureAwait(false);

        var final = run with
        {
            Status = IngestRunStatus.Succeeded,
            EndedAt = time.GetUtcNow(),
            Error = null,
            Records = entries.Sum(e => e.Records),
            Changed = entries.Sum(e => e.Changed),
            SnapshotDigest = written.Manifest.Digest,
            Steps = [.. run.StepList, .. steps.Steps],
        };
        var latest = await runs.GetAsync(IngestSources.Tga, runId, cancellationToken).ConfigureAwait(false);
        if (latest is not { } claim || claim.Run.Status != IngestRunStatus.Finalising || !await runs.TryReplaceAsync(final, claim.ETag, cancellationToken).ConfigureAwait(false))
        {
            return new TgaIngestOutcome(TgaIngestResult.RunClosed, latest?.Run ?? final, null); // a concurrent finaliser finished first
        }

        await _recorder.SummariseAsync(final, cancellationToken).ConfigureAwait(false);
        var compile = written.Manifest.Digest != run.PreviousSnapshotDigest ? new CompileRequest(IngestSources.Tga, written.Manifest.Digest, runId) : null;
        return new TgaIngestOutcome(TgaIngestResult.Finalised, final, compile);
    }

    private async Task<(long Records, long Changed)> ApplyAsync(TgaIngestBatch batch, IngestRun run, CancellationToken cancellationToken)
    {
        var fallback = run.ServerTime ?? run.StartedAt;
        long changed = 0;
        try
        {
            using (RawPayloadCapture.Begin(raw, $"{IngestSources.Tga}/{batch.RunId}/batch-{batch.Batch:D4}."))
            {
                await Parallel.ForEachAsync(
                    batch.Items,
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.DetailConcurrency), CancellationToken = cancellationToken },
                    async (item, token) =>
                    {
                        var n = batch.Kind switch
                        {
                            TgaBatchKind.Components => await mirror.ApplyComponentAsync(await soap.GetComponentDetailsAsync(item.Code, token).ConfigureAwait(false), fallback, batch.RunId, token).ConfigureAwait(false),
                            TgaBatchKind.Organisations => await mirror.ApplyOrganisationAsync(await soap.GetOrganisationDetailsAsync(item.Code, token).ConfigureAwait(false), fallback, batch.RunId, token).ConfigureAwait(false),
                            TgaBatchKind.DeletedComponents => await mirror.DeleteComponentAsync(item.Code, item.DeletedAt, fallback, batch.RunId, token).ConfigureAwait(false),
                            _ => await mirror.DeleteOrganisationAsync(item.Code, item.DeletedAt, fallback, batch.RunId, token).ConfigureAwait(false),
                        };
                        Interlocked.Add(ref changed, n);
                    }).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is UpstreamFormatException or TgaSoapFaultException)
        {
            // Bad upstream data: say so on the run (the watermark stays put), then fail the delivery for the host to retry.
            await RecordBatchErrorAsync(batch, e, cancellationToken).ConfigureAwait(false);
            throw;
        }

        return (batch.Items.Count, changed);
    }

    private async Task RecordBatchErrorAsync(TgaIngestBatch batch, Exception error, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (await runs.GetAsync(IngestSources.Tga, batch.RunId, cancellationToken).ConfigureAwait(false) is not { } current || IngestRunStatus.IsFinal(current.Run.Status))
            {
                return;
            }

            var updated = current.Run with { Error = ErrorLines.For(error, $"batch {batch.Batch} ({batch.Kind})") };
            if (await runs.TryReplaceAsync(updated, current.ETag, cancellationToken).ConfigureAwait(false))
            {
                await states.UpdateAsync(IngestSources.Tga, s => s with { LastError = updated.Error, LastErrorAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task<List<ISnapshotRecord>> ReadMirrorAsync(CancellationToken cancellationToken)
    {
        var records = new List<ISnapshotRecord>();
        await foreach (var record in mirror.ReadRecordsAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        return records;
    }

    private static SnapshotProvenance[] Provenance(DateTimeOffset serverTime) =>
    [
        new("tga:TrainingComponentService", "SearchByModifiedDate", ServerTime: serverTime),
        new("tga:OrganisationService", "SearchByModifiedDate", ServerTime: serverTime),
    ];

    private async Task<TgaIngestOutcome> PoisonAsync(string body, string? messageId, string reason, IngestRun? run, CancellationToken cancellationToken)
    {
        var id = string.IsNullOrEmpty(messageId) ? "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))) : messageId;
        var excerpt = body.Length <= ExcerptLength ? body : body[..ExcerptLength];
        await deadLetters.RecordAsync(new DeadLetter(PipelineQueues.TgaIngest, id, reason, excerpt, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return new TgaIngestOutcome(TgaIngestResult.Poison, run, null, reason);
    }

    private static (TgaIngestBatch? Batch, string? Reason) Parse(string body)
    {
        TgaIngestBatch? batch;
        try
        {
            batch = JsonSerializer.Deserialize(body, IngestJsonContext.Default.TgaIngestBatch);
        }
        catch (JsonException e)
        {
            return (null, "the body is not a TGA ingest batch (JSON): " + e.Message);
        }

        return batch switch
        {
            null => (null, "the body is JSON null, not a TGA ingest batch"),
            { RunId: null or "" } => (null, "the batch has no runId"),
            { Batch: < 1 } => (null, $"the batch number {batch.Batch} is not positive"),
            _ when !TgaBatchKind.IsKnown(batch.Kind) => (null, $"the batch kind '{batch.Kind}' is not one of components, organisations, deleted-components, deleted-organisations"),
            { Items: null } => (null, "the batch has no items"),
            _ when batch.Items.Any(i => i is null || string.IsNullOrWhiteSpace(i.Code)) => (null, "the batch has an item without a code"),
            _ => (batch, null),
        };
    }
}
