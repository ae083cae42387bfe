using System.Globalization;
using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>publish</c>: signs, logs, registers and revokes (idempotent; refused while publication is frozen). A publication
/// that must wait completes this delivery and re-queues a delayed copy (<see cref="PublishWaits"/>).
/// </summary>
internal sealed class PublishFunction(PublishStage stage) : IFunctionHandler
{
    public async Task InvokeAsync(FunctionContext context)
    {
        var request = context.Message.Deserialize(PipelineMessageJson.Default.PublishRequest);
        var outcome = await stage.RunAsync(request, context.CancellationToken).ConfigureAwait(false);
        if (outcome.Publication is not { } publication)
        {
            context.Log(string.Create(
                CultureInfo.InvariantCulture,
                $"publish: build {request.BuildId} waits ({outcome.WaitReason}); re-queued with a {outcome.Delay.TotalSeconds:0} s delay (wait {outcome.Requeued!.Wait!.Attempts} since {outcome.Requeued.Wait.Since:O})."));
            return;
        }

        context.Log(string.Create(
            CultureInfo.InvariantCulture,
            $"publish: build {publication.BuildId}: {publication.Issued} issued, {publication.Revoked} revoked, {publication.Unchanged} unchanged; log size {publication.TreeSize}, epoch {publication.RevocationEpoch}."));
    }
}
