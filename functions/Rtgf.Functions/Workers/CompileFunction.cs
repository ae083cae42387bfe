using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>compile</c>: compiles the latest snapshots, stores the build and asks QA to check it, once per build: several compile
/// messages for the same inputs (two syncs finishing together) hand the build to QA once (<see cref="HandOffClaims"/>).
/// </summary>
internal sealed class CompileFunction(BuildCompilation compilation, HandOffClaims handOffs) : IFunctionHandler
{
    public async Task InvokeAsync(FunctionContext context)
    {
        var request = context.Message.Deserialize(PipelineMessageJson.Default.CompileRequest);
        var qa = await compilation.CompileAsync(request, context.CancellationToken).ConfigureAwait(false);
        if (qa is null)
        {
            context.Log($"compile: not every source has a snapshot yet (triggered by {request.Source}@{request.SnapshotDigest}).");
            return;
        }

        if (!await handOffs.ClaimAsync(PipelineQueues.Qa, qa.BuildId, PipelineStages.MessageId(context), context.CancellationToken).ConfigureAwait(false))
        {
            context.Log($"compile: build {qa.BuildId} was already handed to QA by another message; nothing sent.");
            return;
        }

        context.Log($"compile: build {qa.BuildId} stored; QA requested.");
        context.Outputs.Add(PipelineStages.QaOutput, qa, PipelineMessageJson.Default.QaRequest);
    }
}
