using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>qa</c>: the determinism harness; a byte-identical rebuild goes on to publish (once per build,
/// <see cref="HandOffClaims"/>), a different one freezes publication.
/// </summary>
internal sealed class QaFunction(DeterminismHarness harness, HandOffClaims handOffs) : IFunctionHandler
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

        if (!await handOffs.ClaimAsync(PipelineQueues.Publish, publish.BuildId, PipelineStages.MessageId(context), context.CancellationToken).ConfigureAwait(false))
        {
            context.Log($"qa: build {publish.BuildId} was already handed to publish by another message; nothing sent.");
            return;
        }

        context.Outputs.Add(PipelineStages.PublishOutput, publish, PipelineMessageJson.Default.PublishRequest);
    }
}
