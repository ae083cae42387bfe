using System.Net;
using System.Net.Http.Json;

namespace Rtgf.FunctionsHost.Tests;

public sealed class HandshakeTests(ContractWorker worker) : IClassFixture<ContractWorker>
{
    [Fact]
    public void The_worker_indexes_and_loads_every_function()
    {
        Assert.Equal(["Consume", "ConsumeJson", "Echo", "Fail", "FailAfterWrite", "Large", "RunnerPoison", "RunnerRelay", "RunnerStartup", "RunnerTick", "Tick", "TraceContext", "WaitForCancel"], worker.Channel.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.NotNull(worker.Channel.HttpUri);
    }

    [Fact]
    public async Task An_http_request_reaches_the_function_with_its_route_value_and_query()
    {
        using var response = await worker.Client.GetAsync(new Uri("echo/abc?q=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await response.Content.ReadFromJsonAsync<Echo>();
        Assert.Equal("abc", echo!.Id);
        Assert.Equal("1", echo.Query);
        Assert.Equal(echo.InvocationId, echo.InvocationHeader);
    }

    private sealed record Echo(string Id, string Method, string Query, long Length, string Sha256, string InvocationId, string InvocationHeader);
}
