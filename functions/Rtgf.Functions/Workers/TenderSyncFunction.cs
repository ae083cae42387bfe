using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Functions.Workers;

/// <summary><c>tender-sync</c>: runs <see cref="TenderSyncWorker"/> (AusTender contract notices and approaches to market). No compile: tenders are not a token family.</summary>
public sealed class TenderSyncFunction(IServiceProvider services, ILogger<TenderSyncFunction> logger)
{
    [Function("tender-sync")]
    public async Task Run([TimerTrigger("%" + SyncSchedules.TenderSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        // Resolved when the timer fires, so missing AusTender settings never break the other functions.
        var worker = services.GetRequiredService<TenderSyncWorker>();
        var outcome = await worker.RunAsync(IngestTrigger.Timer, cancellationToken);
        if (outcome.Run.Status == IngestRunStatus.Failed)
        {
            throw new InvalidOperationException($"tender sync {outcome.Run.RunId} failed: {outcome.Run.Error}");
        }

        logger.Outcome(() => $"tender sync {outcome.Run.RunId}: {outcome.Run.Status}, {outcome.Run.Records} release(s), {outcome.Run.Changed} row(s) changed, watermark {outcome.Run.ServerTime:O}.");
    }
}
