using System.Net;
using System.Net.Http.Json;
using Microsoft.Azure.Functions.Worker.Builder;
using Rtgf.FunctionsHost.TestWorker;
using Rtgf.Testing;

namespace Rtgf.FunctionsHost.Tests;

/// <summary>The same worker app built in the test process (what the app's HTTP tests use) answers through the host as the child process does.</summary>
public sealed class InProcessWorkerTests
{
    [Fact]
    public async Task An_in_process_worker_serves_http_through_the_host()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        InProcessWorker.UseAppAssembly(builder, typeof(ContractFunctions).Assembly);
        builder.ConfigureFunctionsWebApplication();
        await using var worker = await InProcessWorker.StartAsync(builder, BuildOutput.Directory("Rtgf.FunctionsHost.TestWorker"));
        using var client = worker.CreateClient();

        using var response = await client.PostAsync(new Uri("echo/in-process?q=x", UriKind.Relative), new ByteArrayContent(new byte[1234]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await response.Content.ReadFromJsonAsync<EchoResponse>();
        Assert.Equal(("in-process", "POST", "x", 1234L), (echo!.Id, echo.Method, echo.Query, echo.Length));
        Assert.Contains(worker.Channel.Functions, f => f.Name == "Consume");
    }
}
