using System.Globalization;
using Rtgf.CustomHandler.Invocation;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Workers;

/// <summary><c>publish</c>: signs, logs, registers and revokes (idempotent; refused while publication is frozen).</summary>
internal sealed class PublishFunction(PublishStage stage) : IFunctionHandler
{
    public async Task InvokeAsync(FunctionContext context)
    {
        var request = context.Message.Deserialize(PipelineMessageJson.Default.PublishRequest);
        var publication = await stage.PublishAsync(request, context.CancellationToken).ConfigureAwait(false);
        context.Log(string.Create(
            CultureInfo.InvariantCulture,
            $"publish: build {publication.BuildId}: {publication.Issued} issued, {publication.Revoked} revoked, {publication.Unchanged} unchanged; log size {publication.TreeSize}, epoch {publication.RevocationEpoch}."));
    }
}
