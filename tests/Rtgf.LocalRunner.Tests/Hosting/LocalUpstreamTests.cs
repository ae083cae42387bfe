using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.LocalRunner.Hosting;
using Rtgf.Testing;
using Rtgf.UpstreamSimulator;

namespace Rtgf.LocalRunner.Tests.Hosting;

public sealed class LocalUpstreamTests
{
    [Fact]
    public void Settings_PointEveryConnectorAtTheSimulator_OverHttpAsADevelopmentException()
    {
        var settings = LocalUpstream.Settings(new Uri("http://127.0.0.1:8085"));

        Assert.Equal(
            [
                new("Upstream__Tga__BaseUrl", "http://127.0.0.1:8085/Deewr.Tga.WebServices/"),
                new("Upstream__Tga__RestBaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__Tga__UserName", "sim-user"),
                new("Upstream__Tga__Password", "sim-password"),
                new("Upstream__Cricos__BaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__Teqsa__BaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__Dfat__BaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__Abs__BaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__Jsa__BaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__DataGovAu__BaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__AusTender__BaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__AusTender__AtmBaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__Geocoder__BaseUrl", "http://127.0.0.1:8085/"),
                new("Upstream__Geocoder__ApiKey", SimulatorOptions.DefaultGeocoderApiKey),
                new("Upstream__DocsProxy__BaseUrl", "http://127.0.0.1:8085/docs-proxy/"),
                new("Upstream__TrustProxy__BaseUrl", "http://127.0.0.1:8085/trust-proxy/"),
                new("Upstream__AllowInsecureHttp", "true"),
            ],
            settings);
    }

    [Fact]
    public async Task StartAsync_ServesTheChosenCorpusWithTheRunnersTimeAsItsClock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero));

        await using var simulator = await LocalUpstream.StartAsync(SimulatorCorpus.Small, 0, clock, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        var status = await http.GetFromJsonAsync<JsonObject>("_sim/status");

        Assert.Equal(("small", "2026-03-04T05:06:07Z"), ((string?)status!["corpus"], (string?)status["clock"]));
    }

    [Fact]
    public async Task StartAsync_PortInUse_SaysHowToChooseAnother()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero));
        await using var first = await LocalUpstream.StartAsync(SimulatorCorpus.Small, 0, clock, CancellationToken.None);

        var error = await Assert.ThrowsAsync<RunnerException>(() => LocalUpstream.StartAsync(SimulatorCorpus.Small, first.BaseAddress.Port, clock, CancellationToken.None));

        Assert.Contains("--simulator-port", error.Message, StringComparison.Ordinal);
    }
}
