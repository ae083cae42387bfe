using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Enrichment;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>enrich-sync</c> (timer: start, resume or recover a run) and <c>enrich-sync-page</c> (one page per <c>rtgf-enrich-sync</c>
/// message, which sends at most its successor) over <see cref="EnrichSyncWorker"/> (docs/spec/enrichment.md). The worker is
/// resolved per invocation, so a missing geocoder setting fails only the enrichment. A failed page is retried by the host,
/// then poisoned (<c>rtgf-enrich-sync-poison</c>); the timer's stall recovery sends the page again.
/// </summary>
public sealed class EnrichSyncFunctions(IServiceProvider services, ILogger<EnrichSyncFunctions> logger)
{
    [Function("enrich-sync")]
    public async Task Start([TimerTrigger("%" + SyncSchedules.EnrichSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcome = await services.GetRequiredService<EnrichSyncWorker>().StartAsync(cancellationToken).ConfigureAwait(false);
        logger.Outcome(() => $"enrich-sync: {outcome.Kind}{Describe(outcome)}.");
    }

    [Function("enrich-sync-page")]
    public async Task Page([QueueTrigger(PipelineQueues.EnrichSync, Connection = QueueMessages.Connection)] string message, CancellationToken cancellationToken)
    {
        var page = EnrichSyncWorker.ReadMessage(message);
        var outcome = await services.GetRequiredService<EnrichSyncWorker>().RunPageAsync(page, cancellationToken).ConfigureAwait(false);
        logger.Outcome(() => $"enrich-sync-page: run {page.RunId} page {page.Page}: {outcome.Kind}{Describe(outcome)}.");
    }

    private static string Describe(EnrichOutcome outcome) =>
        (outcome.Run is { } run ? $", run {run.RunId} {run.Status} page {run.Page}, {run.Done}/{run.Total} RTOs" : string.Empty)
        + (outcome.Sent is { } sent ? $", sent page {sent.Page}" : string.Empty)
        + (outcome.Reason is { } reason ? $" ({reason})" : string.Empty);
}
