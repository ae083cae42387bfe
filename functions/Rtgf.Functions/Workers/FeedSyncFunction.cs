using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Functions.Workers;

/// <summary><c>cricos-sync</c>, <c>teqsa-sync</c>, <c>sanctions-sync</c>: runs the source's <see cref="FeedSyncWorker"/>.</summary>
internal sealed class FeedSyncFunction : IFunctionHandler
{
    public async Task InvokeAsync(FunctionContext context)
    {
        var source = IngestWorkers.FeedSources[context.Function.Name];
        var worker = context.Services.GetRequiredKeyedService<FeedSyncWorker>(source);
        var outcome = await worker.RunAsync(IngestTrigger.Timer, context.CancellationToken);
        if (outcome.Run.Status == IngestRunStatus.Failed)
        {
            throw new InvalidOperationException($"{source} sync {outcome.Run.RunId} failed: {outcome.Run.Error}");
        }

        if (outcome.Compile is { } compile)
        {
            context.Outputs.Add(IngestWorkers.CompileOutput, compile, IngestJsonContext.Default.CompileRequest);
        }

        context.Log($"{source} sync {outcome.Run.RunId}: {outcome.Run.Status}, {outcome.Run.Records} record(s).");
    }
}
