using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>publish</c>: signs, logs, registers and revokes (idempotent; refused while publication is frozen). A publication
/// that must wait completes this delivery and re-queues a delayed copy (<see cref="PublishWaits"/>). A publication that landed
/// sends its build to <c>stats-cache</c> (every delivery that sees it landed: the statistics are stored once whatever the count).
/// </summary>
public sealed class PublishFunction(PublishStage stage, ILogger<PublishFunction> logger)
{
    [Function("publish")]
    [QueueOutput(PipelineQueues.StatsCache, Connection = QueueMessages.Connection)]
    public async Task<string?> Run([QueueTrigger(PipelineQueues.Publish, Connection = QueueMessages.Connection)] string message, CancellationToken cancellationToken)
    {
        var request = QueueMessages.Read(message, PipelineMessageJson.Default.PublishRequest);
        var outcome = await stage.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (outcome.Publication is not { } publication)
        {
            logger.Outcome(() => string.Create(
                CultureInfo.InvariantCulture,
                $"publish: build {request.BuildId} waits ({outcome.WaitReason}); re-queued with a {outcome.Delay.TotalSeconds:0} s delay (wait {outcome.Requeued!.Wait!.Attempts} since {outcome.Requeued.Wait.Since:O})."));
            return null;
        }

        logger.Outcome(() => string.Create(
            CultureInfo.InvariantCulture,
            $"publish: build {publication.BuildId}: {publication.Issued} issued, {publication.Revoked} revoked, {publication.Unchanged} unchanged; log size {publication.TreeSize}, epoch {publication.RevocationEpoch}."));
        return QueueMessages.Write(new StatsCacheRequest(publication.BuildId), PipelineMessageJson.Default.StatsCacheRequest);
    }
}
