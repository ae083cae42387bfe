using Rtgf.Testing;
using Rtgf.Tooling;

namespace Rtgf.Functions.Tests;

/// <summary>The built handler as a process, started the way the Functions host starts it.</summary>
public sealed class HandlerProcessTests
{
    [Fact]
    public async Task HostsPort_IsBoundOnLoopback_OverridingOtherUrls()
    {
        var hostPort = LoopbackPorts.Free();
        var otherPort = LoopbackPorts.Free();
        await using var handler = Start(new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{otherPort}",
        });

        Assert.Equal("ready", await ReadyAsync(handler, hostPort));
        await Assert.ThrowsAsync<HttpRequestException>(() => new HttpClient().GetStringAsync(new Uri($"http://127.0.0.1:{otherPort}/")));
    }

    [Fact]
    public async Task WithoutTheHostsPort_ListensOnUrlsForLocalUse()
    {
        var port = LoopbackPorts.Free();
        await using var handler = Start(new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = null }, "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal("ready", await ReadyAsync(handler, port));
    }

    [Fact]
    public async Task InvalidPortSetting_StopsTheHandlerNamingTheSetting()
    {
        await using var handler = Start(new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "seventy" });

        await handler.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, handler.ExitCode);
        Assert.Contains(handler.RecentOutput, l => l.Contains("FUNCTIONS_CUSTOMHANDLER_PORT must be a TCP port number", StringComparison.Ordinal));
    }

    internal static ChildProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        Start(BuildOutput.Directory("Rtgf.Functions"), environment, arguments);

    internal static ChildProcess Start(string scriptRoot, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        ChildProcess.Start(new ChildProcessStartInfo("handler", Path.Combine(scriptRoot, "Rtgf.Functions"))
        {
            Arguments = arguments,
            WorkingDirectory = scriptRoot,
            Environment = environment,
        });

    internal static async Task<string> ReadyAsync(ChildProcess handler, int port)
    {
        using var http = new HttpClient();
        return await Eventually.ProbeAsync(
            async () =>
            {
                if (handler.HasExited)
                {
                    throw new InvalidOperationException("The handler exited: " + string.Join(" | ", handler.RecentOutput.TakeLast(5)));
                }

                try
                {
                    return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
                }
                catch (HttpRequestException)
                {
                    return string.Empty;
                }
            },
            body => body.Length > 0,
            TimeSpan.FromSeconds(30),
            "the handler to answer GET /");
    }
}
