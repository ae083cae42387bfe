using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Workers;

/// <summary><c>compile</c>: compiles the latest snapshots, stores the build and asks QA to check it.</summary>
internal sealed class CompileFunction(BuildCompilation compilation) : IFunctionHandler
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

        context.Log($"compile: build {qa.BuildId} stored; QA requested.");
        context.Outputs.Add(PipelineStages.QaOutput, qa, PipelineMessageJson.Default.QaRequest);
    }
}
