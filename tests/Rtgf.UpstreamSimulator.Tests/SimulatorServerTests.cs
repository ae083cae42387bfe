using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Rtgf.Testing;

namespace Rtgf.UpstreamSimulator.Tests;

public sealed class SimulatorServerTests
{
    [Fact]
    public async Task StartAsync_BindsLoopbackOnAnOsPort_ServesStatus_AndReleasesThePortOnDispose()
    {
        var server = await Simulators.SmallAsync();
        var port = server.BaseAddress.Port;
        JsonNode status;
        using (var http = Simulators.Client(server))
        {
            status = JsonNode.Parse(await http.GetStringAsync("_sim/status"))!;
        }

        await server.DisposeAsync();

        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.NotEqual(0, port);
        Assert.Equal("small", status["corpus"]!.GetValue<string>());
        Assert.Equal("2025-07-01T00:00:00Z", status["clock"]!.GetValue<string>());
        Assert.Equal(30, status["counts"]!["rtos"]!.GetValue<int>());
        Assert.Equal(150, status["counts"]!["scopeRows"]!.GetValue<int>());
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
    }

    [Fact]
    public async Task StartAsync_EmptyPassword_FailsWithAClearMessage()
    {
        var error = await Assert.ThrowsAsync<SimulatorException>(() => SimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeProvider = new ManualTimeProvider(Simulators.Start),
            TgaPassword = string.Empty,
        }));

        Assert.Contains("password", error.Message, StringComparison.Ordinal);
    }
}
