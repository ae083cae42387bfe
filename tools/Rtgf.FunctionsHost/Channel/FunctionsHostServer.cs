using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Channel;

/// <summary>
/// The gRPC endpoint workers connect to (<c>--functions-uri</c>): Kestrel on 127.0.0.1, HTTP/2 cleartext only, no message
/// size limit, listening before any worker starts (host <c>Server/AspNetCoreGrpcHostBuilder</c>).
/// </summary>
public sealed class FunctionsHostServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, WorkerChannel> _expected = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    private FunctionsHostServer(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    /// <summary>The address a worker gets as <c>--functions-uri</c>.</summary>
    public Uri Uri { get; }

    internal CancellationToken Stopping => _stopping.Token;

    public static async Task<FunctionsHostServer> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = int.MaxValue;
            options.MaxSendMessageSize = int.MaxValue;
        });
        FunctionsHostServer? server = null;
        builder.Services.AddSingleton(_ => server!);
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server = new FunctionsHostServer(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/"));
        return server;
    }

    /// <summary>
    /// Registers a worker about to start; its channel accepts the first stream that names <paramref name="launch"/>'s worker id.
    /// <paramref name="log"/> receives the worker's <c>RpcLog</c> messages.
    /// </summary>
    public WorkerChannel Expect(WorkerLaunch launch, Action<RpcLog> log)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var channel = new WorkerChannel(launch, log);
        if (!_expected.TryAdd(launch.WorkerId, channel))
        {
            throw new InvalidOperationException($"A worker with id {launch.WorkerId} is already expected.");
        }

        return channel;
    }

    internal WorkerChannel? Claim(string workerId) => _expected.TryRemove(workerId, out var channel) ? channel : null;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
