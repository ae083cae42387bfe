using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Functions.Workers;

/// <summary><c>tga-ingest</c>: applies one batch; the invocation that finalises the run sends the compile request.</summary>
internal sealed class TgaIngestFunction(TgaIngestWorker worker) : IFunctionHandler
{
    public async Task InvokeAsync(FunctionContext context)
    {
        var message = context.Message;
        var outcome = await worker.RunAsync(message.Body, message.MessageId, context.CancellationToken);
        if (outcome.Compile is { } compile)
        {
            context.Outputs.Add(IngestWorkers.CompileOutput, compile, IngestJsonContext.Default.CompileRequest);
        }

        context.Log($"TGA ingest {outcome.Run?.RunId ?? "(unknown run)"}: {outcome.Result}{(outcome.Reason is null ? string.Empty : " - " + outcome.Reason)}.");
    }
}
