using Rtgf.Testing;

namespace Rtgf.UpstreamSimulator.Tests;

/// <summary>Starts real simulators on loopback for the tests, on a manual clock.</summary>
internal static class Simulators
{
    public static readonly DateTimeOffset Start = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    public static Task<SimulatorServer> SmallAsync(ManualTimeProvider? time = null) =>
        SimulatorServer.StartAsync(new SimulatorOptions { TimeProvider = time ?? new ManualTimeProvider(Start), Clock = Start });

    public static HttpClient Client(SimulatorServer server) => new() { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
}
