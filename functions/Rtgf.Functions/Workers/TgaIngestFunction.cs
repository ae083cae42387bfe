using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Workers;

/// <summary><c>tga-ingest</c>: applies one batch; the invocation that finalises the run sends the compile request.</summary>
public sealed class TgaIngestFunction(TgaIngestWorker worker, ILogger<TgaIngestFunction> logger)
{
    /// <param name="message">The batch, as the queue delivered it.</param>
    /// <param name="id">The broker's message id (trigger metadata <c>Id</c>, unless the body shadows it: then the worker keys
    /// a dead letter by the body's digest).</param>
    /// <param name="cancellationToken">The invocation's cancellation.</param>
    [Function("tga-ingest")]
    [QueueOutput(PipelineQueues.Compile, Connection = QueueMessages.Connection)]
    public async Task<string?> Run(
        [QueueTrigger(PipelineQueues.TgaIngest, Connection = QueueMessages.Connection)] string message, string? id, CancellationToken cancellationToken)
    {
        var outcome = await worker.RunAsync(message, QueueMessages.BrokerIdOrNull(id, message), cancellationToken);
        logger.Outcome(() => $"TGA ingest {outcome.Run?.RunId ?? "(unknown run)"}: {outcome.Result}{(outcome.Reason is null ? string.Empty : " - " + outcome.Reason)}.");
        return outcome.Compile is { } compile ? QueueMessages.Write(compile, IngestJsonContext.Default.CompileRequest) : null;
    }
}
