using System.Collections.Concurrent;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Http;
using Rtgf.FunctionsHost.Rpc;
using Rtgf.Testing;

namespace Rtgf.FunctionsHost.Tests;

/// <summary>The contract test worker in a child process, connected to a host server, with an HTTP client through the host.</summary>
public sealed class ContractWorker : IAsyncLifetime
{
    private FunctionsHostServer? _server;
    private WorkerProcess? _worker;

    public ConcurrentQueue<RpcLog> Logs { get; } = new();

    public ConcurrentQueue<HttpInvocation> HttpInvocations { get; } = new();

    public WorkerChannel Channel => _worker?.Channel ?? throw new InvalidOperationException("Not started.");

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await FunctionsHostServer.StartAsync();
        _worker = await WorkerProcess.StartAsync(
            _server,
            BuildOutput.Directory("Rtgf.FunctionsHost.TestWorker"),
            new Dictionary<string, string?> { ["TICK_SCHEDULE"] = "0 0 0 1 1 *", ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" },
            Logs.Enqueue,
            output: null,
            TimeSpan.FromSeconds(60));
        var router = new HttpRouter(Channel.Functions, routePrefix: "");
#pragma warning disable CA2000 // The client owns the handler chain.
        Client = new HttpClient(new FunctionHttpHandler(Channel, router, Channel.HttpUri!, new SocketsHttpHandler(), Eventually.RealTime, HttpInvocations.Enqueue))
        {
            BaseAddress = new Uri("http://localhost/"),
        };
#pragma warning restore CA2000
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
