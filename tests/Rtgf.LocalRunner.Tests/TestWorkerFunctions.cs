using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Functions;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests;

/// <summary>
/// The test worker's functions as the host loads them (their real bindings), for testing the runner's triggers alone
/// with a scripted worker: the worker process is started once, indexed, and kept only for its function list.
/// </summary>
public sealed class TestWorkerFunctions : IAsyncLifetime
{
    private FunctionsHostServer? _server;
    private WorkerProcess? _worker;

    public HostedFunction this[string name] =>
        _worker?.Channel.Find(name) ?? throw new InvalidOperationException($"The test worker has no function '{name}'.");

    public async Task InitializeAsync()
    {
        _server = await FunctionsHostServer.StartAsync();
        _worker = await WorkerProcess.StartAsync(
            _server,
            BuildOutput.Directory("Rtgf.FunctionsHost.TestWorker"),
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" },
            _ => { },
            output: null,
            TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
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
