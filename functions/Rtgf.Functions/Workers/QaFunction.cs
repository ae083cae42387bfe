using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Workers;

/// <summary><c>qa</c>: the determinism harness; a byte-identical rebuild goes on to publish, a different one freezes publication.</summary>
internal sealed class QaFunction(DeterminismHarness harness) : IFunctionHandler
{
    public async Task InvokeAsync(FunctionContext context)
    {
        var request = context.Message.Deserialize(PipelineMessageJson.Default.QaRequest);
        var publish = await harness.CheckAsync(request, context.CancellationToken).ConfigureAwait(false);
        if (publish is null)
        {
            context.Log($"qa: build {request.BuildId} is not deterministic; publication is frozen.");
            return;
        }

        context.Outputs.Add(PipelineStages.PublishOutput, publish, PipelineMessageJson.Default.PublishRequest);
    }
}
