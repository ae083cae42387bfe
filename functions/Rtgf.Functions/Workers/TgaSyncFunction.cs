using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Functions.Workers;

/// <summary><c>tga-sync</c>: runs <see cref="TgaSyncWorker"/> and fans its batches out to <c>rtgf-tga-ingest</c>.</summary>
internal sealed class TgaSyncFunction(TgaSyncWorker worker) : IFunctionHandler
{
    public async Task InvokeAsync(FunctionContext context)
    {
        var outcome = await worker.RunAsync(IngestTrigger.Timer, context.CancellationToken);
        if (outcome.Run.Status == IngestRunStatus.Failed)
        {
            // Recorded in the ingest-runs table; failing the invocation shows it in the host's log too (timers are not retried).
            throw new InvalidOperationException($"TGA sync {outcome.Run.RunId} failed: {outcome.Run.Error}");
        }

        if (outcome.Batches.Count > 0)
        {
            context.Outputs.Add(IngestWorkers.BatchesOutput, outcome.Batches.ToList(), IngestJsonContext.Default.ListTgaIngestBatch);
        }

        context.Log($"TGA sync {outcome.Run.RunId}: {outcome.Run.Status}, {outcome.Batches.Count} batch(es), {outcome.Run.Records} code(s).");
    }
}
