using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>compile</c>: compiles the latest snapshots, stores the build and asks QA to check it, once per build: several compile
/// messages for the same inputs (two syncs finishing together) hand the build to QA once (<see cref="HandOffClaims"/>).
/// </summary>
public sealed class CompileFunction(BuildCompilation compilation, HandOffClaims handOffs, ILogger<CompileFunction> logger)
{
    /// <param name="message">The compile request, as the queue delivered it.</param>
    /// <param name="id">The broker's message id (trigger metadata <c>Id</c>).</param>
    /// <param name="cancellationToken">The invocation's cancellation.</param>
    [Function("compile")]
    [QueueOutput(PipelineQueues.Qa, Connection = QueueMessages.Connection)]
    public async Task<string?> Run(
        [QueueTrigger(PipelineQueues.Compile, Connection = QueueMessages.Connection)] string message, string? id, CancellationToken cancellationToken)
    {
        var request = QueueMessages.Read(message, PipelineMessageJson.Default.CompileRequest);
        var qa = await compilation.CompileAsync(request, cancellationToken).ConfigureAwait(false);
        if (qa is null)
        {
            logger.Outcome(() => $"compile: not every source has a snapshot yet (triggered by {request.Source}@{request.SnapshotDigest}).");
            return null;
        }

        if (!await handOffs.ClaimAsync(PipelineQueues.Qa, qa.BuildId, QueueMessages.MessageId(id, message, "compile"), cancellationToken).ConfigureAwait(false))
        {
            logger.Outcome(() => $"compile: build {qa.BuildId} was already handed to QA by another message; nothing sent.");
            return null;
        }

        logger.Outcome(() => $"compile: build {qa.BuildId} stored; QA requested.");
        return QueueMessages.Write(qa, PipelineMessageJson.Default.QaRequest);
    }
}
