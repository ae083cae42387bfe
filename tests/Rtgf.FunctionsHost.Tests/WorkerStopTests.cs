using System.Net;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Http;
using Rtgf.Testing;

namespace Rtgf.FunctionsHost.Tests;

/// <summary>Stopping the real worker: WorkerTerminate is the normal path; the kill is only the fallback.</summary>
public sealed class WorkerStopTests
{
    [Fact]
    public async Task A_worker_told_to_terminate_exits_on_its_own_with_code_0_within_the_grace()
    {
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await FunctionsHostServer.StartAsync();
        await using var worker = await WorkerProcess.StartAsync(
            server,
            BuildOutput.Directory("Rtgf.FunctionsHost.TestWorker"),
            new Dictionary<string, string?> { ["TICK_SCHEDULE"] = "0 0 0 1 1 *", ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" },
            _ => { },
            (line, _) => output.Enqueue(line),
            TimeSpan.FromSeconds(60));

        // One request first, so that the worker's Kestrel holds a kept-alive connection from the host as it stops.
        var router = new HttpRouter(worker.Channel.Functions, routePrefix: "");
#pragma warning disable CA2000 // The client owns the handler chain.
        using var client = new HttpClient(new FunctionHttpHandler(worker.Channel, router, worker.Channel.HttpUri!, new SocketsHttpHandler(), Eventually.RealTime))
        {
            BaseAddress = new Uri("http://localhost/"),
        };
#pragma warning restore CA2000
        using (var response = await client.GetAsync(new Uri("echo/before-stop", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A generous grace: what is asserted is that the worker ended by itself, not how fast.
        var killed = await worker.StopAsync(TimeSpan.FromSeconds(30));

        Assert.False(killed, "The worker had to be killed. Its last output:\n" + string.Join('\n', output.TakeLast(20)));
        Assert.Equal(0, worker.ExitCode);
    }
}
