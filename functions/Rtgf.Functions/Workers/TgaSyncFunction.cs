using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Workers;

/// <summary><c>tga-sync</c>: runs <see cref="TgaSyncWorker"/> and fans its batches out to <c>rtgf-tga-ingest</c> (one message per batch).</summary>
public sealed class TgaSyncFunction(TgaSyncWorker worker, ILogger<TgaSyncFunction> logger)
{
    [Function("tga-sync")]
    [QueueOutput(PipelineQueues.TgaIngest, Connection = QueueMessages.Connection)]
    public async Task<string[]> Run([TimerTrigger("%" + SyncSchedules.TgaSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcome = await worker.RunAsync(IngestTrigger.Timer, cancellationToken);
        if (outcome.Run.Status == IngestRunStatus.Failed)
        {
            // Recorded in the ingest-runs table; failing the invocation shows it in the host's log too (timers are not retried).
            throw new InvalidOperationException($"TGA sync {outcome.Run.RunId} failed: {outcome.Run.Error}");
        }

        logger.Outcome(() => $"TGA sync {outcome.Run.RunId}: {outcome.Run.Status}, {outcome.Batches.Count} batch(es), {outcome.Run.Records} code(s).");
        return [.. outcome.Batches.Select(b => QueueMessages.Write(b, IngestJsonContext.Default.TgaIngestBatch))];
    }
}
