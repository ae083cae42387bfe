using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Messages;
using Rtgf.Register.Stats;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>stats-cache</c>: stores the statistics of a publication's build once (<see cref="StatsCacheWorker"/>). A build that is
/// unknown or unpublished fails the delivery, so the host retries it and then poisons it (docs/spec/stats.md).
/// </summary>
public sealed class StatsCacheFunction(StatsCacheWorker worker, ILogger<StatsCacheFunction> logger)
{
    [Function("stats-cache")]
    public async Task Run([QueueTrigger(PipelineQueues.StatsCache, Connection = QueueMessages.Connection)] string message, CancellationToken cancellationToken)
    {
        var request = QueueMessages.Read(message, PipelineMessageJson.Default.StatsCacheRequest);
        var outcome = await worker.RunAsync(request, cancellationToken).ConfigureAwait(false);
        logger.Outcome(() => outcome.DocumentCreated || outcome.HistoryCreated
            ? $"stats-cache: build {outcome.BuildId}: document {(outcome.DocumentCreated ? "stored" : "was stored")}, history row {(outcome.HistoryCreated ? "added" : "was there")}."
            : $"stats-cache: build {outcome.BuildId} was stored before; nothing written.");
    }
}
