using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>qa</c>: the determinism harness; a byte-identical rebuild goes on to publish (once per build,
/// <see cref="HandOffClaims"/>), a different one freezes publication.
/// </summary>
public sealed class QaFunction(DeterminismHarness harness, HandOffClaims handOffs, ILogger<QaFunction> logger)
{
    /// <param name="message">The QA request, as the queue delivered it.</param>
    /// <param name="id">The broker's message id (trigger metadata <c>Id</c>).</param>
    /// <param name="cancellationToken">The invocation's cancellation.</param>
    [Function("qa")]
    [QueueOutput(PipelineQueues.Publish, Connection = QueueMessages.Connection)]
    public async Task<string?> Run(
        [QueueTrigger(PipelineQueues.Qa, Connection = QueueMessages.Connection)] string message, string? id, CancellationToken cancellationToken)
    {
        var request = QueueMessages.Read(message, PipelineMessageJson.Default.QaRequest);
        var publish = await harness.CheckAsync(request, cancellationToken).ConfigureAwait(false);
        if (publish is null)
        {
            logger.Outcome(() => $"qa: build {request.BuildId} is not deterministic; publication is frozen.");
            return null;
        }

        if (!await handOffs.ClaimAsync(PipelineQueues.Publish, publish.BuildId, QueueMessages.MessageId(id, message, "qa"), cancellationToken).ConfigureAwait(false))
        {
            logger.Outcome(() => $"qa: build {publish.BuildId} was already handed to publish by another message; nothing sent.");
            return null;
        }

        return QueueMessages.Write(publish, PipelineMessageJson.Default.PublishRequest);
    }
}
