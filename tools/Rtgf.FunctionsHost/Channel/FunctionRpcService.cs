using Grpc.Core;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Channel;

/// <summary>
/// The host's side of <c>FunctionRpc.EventStream</c>. The first message must be <c>StartStream</c> naming a worker this host
/// launched (<see cref="FunctionsHostServer.Expect"/>); any other stream is ended at once, as the real host does.
/// </summary>
internal sealed class FunctionRpcService(FunctionsHostServer server) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false)
            || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream
            || server.Claim(requestStream.Current.StartStream.WorkerId) is not { } channel)
        {
            return;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, server.Stopping);
        await channel.RunAsync(requestStream, responseStream, stopping.Token).ConfigureAwait(false);
    }
}
