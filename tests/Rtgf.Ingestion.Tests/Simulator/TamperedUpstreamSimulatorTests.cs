using System.Text.Json.Nodes;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Ingestion.Tga;

namespace Rtgf.Ingestion.Tests.Simulator;

/// <summary>
/// A tampered or redirecting upstream (the simulator's <c>foreign-links</c> and <c>redirect</c> faults) pointing the
/// connectors at another host: nothing is requested of that host, and the call fails with a clear error.
/// </summary>
public sealed class TamperedUpstreamSimulatorTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;
    private LoopbackServer _other = null!;

    public async Task InitializeAsync()
    {
        _sim = await SimulatorHarness.StartAsync();
        _other = await LoopbackServer.StartAsync((_, _) => Task.CompletedTask);
    }

    public async Task DisposeAsync()
    {
        await _other.DisposeAsync();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task TeqsaRegister_LinkingToAnotherHost_IsRefusedBeforeAnyProviderIsFetched()
    {
        await FaultAsync("/national-register", "foreign-links");

        var error = await Assert.ThrowsAsync<UpstreamOriginException>(async () =>
        {
            foreach (var link in await _sim.Teqsa.GetProviderLinksAsync())
            {
                await _sim.Teqsa.GetProviderAsync(link);
            }
        });

        Assert.Empty(_other.Received);
        Assert.Contains(_other.BaseAddress.Authority, error.Message, StringComparison.Ordinal);
        Assert.Contains($"not on the configured upstream {_sim.Server.BaseAddress.GetLeftPart(UriPartial.Authority)}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TgaSoap_RedirectedByTheUpstream_IsRefusedAndTheCredentialsNeverReachTheTarget()
    {
        await FaultAsync("/Deewr.Tga.WebServices", "redirect");

        var error = await Assert.ThrowsAsync<UpstreamRedirectException>(() => _sim.Soap.GetServerTimeAsync(TgaService.TrainingComponent));

        Assert.Empty(_other.Received);
        Assert.Contains("307", error.Message, StringComparison.Ordinal);
        Assert.Contains("credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sim-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DfatDownload_RedirectedToAnotherHost_IsRefusedAndNotFetched()
    {
        await FaultAsync("/sites", "redirect");

        var error = await Assert.ThrowsAsync<UpstreamOriginException>(() => _sim.Dfat.GetListAsync(_sim.DfatXlsx));

        Assert.Empty(_other.Received);
        Assert.Contains("redirect", error.Message, StringComparison.Ordinal);
        Assert.Contains(_other.BaseAddress.Authority, error.Message, StringComparison.Ordinal);
    }

    private Task<JsonObject> FaultAsync(string routePrefix, string mode) =>
        _sim.PostAdminAsync("_sim/faults", new JsonObject { ["routePrefix"] = routePrefix, ["mode"] = mode, ["target"] = _other.BaseAddress.AbsoluteUri });
}
