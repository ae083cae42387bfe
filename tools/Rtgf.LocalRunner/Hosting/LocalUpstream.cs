using Rtgf.UpstreamSimulator;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// The offline upstream of a local run: the upstream simulator in process on 127.0.0.1, and the app settings that
/// point the connectors (TGA SOAP and REST, CRICOS, TEQSA, DFAT) at it.
/// </summary>
internal static class LocalUpstream
{
    /// <summary>The seed of the national corpus (the small sample is fixed), so every local run serves the same world.</summary>
    public const ulong Seed = 1;

    /// <summary>The TGA credentials the simulator demands (made up; the simulator's defaults).</summary>
    public const string TgaUserName = "sim-user";

    public const string TgaPassword = "sim-password";

    /// <summary>
    /// Starts the simulator. Its simulated clock starts at the runner's time (whole seconds), so registrations and
    /// scripted changes are dated around today; it moves only through <c>/_sim/clock</c> and scripted changes.
    /// </summary>
    public static async Task<SimulatorServer> StartAsync(SimulatorCorpus corpus, int port, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var options = new SimulatorOptions
        {
            Corpus = corpus,
            Seed = Seed,
            Clock = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            TimeProvider = timeProvider,
            Port = port,
            TgaUsername = TgaUserName,
            TgaPassword = TgaPassword,
        };
        try
        {
            return await SimulatorServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (SimulatorException e)
        {
            throw new RunnerException($"The upstream simulator could not start: {e.Message} Pass --simulator-port to choose another port, or --upstream none.", e);
        }
    }

    /// <summary>
    /// The Upstream settings (environment form, <c>__</c> for <c>:</c>) that point every connector at a simulator. The
    /// simulator listens on http, so the TGA credentials need the development exception (refused in Azure).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(Uri simulator)
    {
        var root = simulator.AbsoluteUri.TrimEnd('/') + "/";
        return
        [
            new("Upstream__Tga__BaseUrl", root + "Deewr.Tga.WebServices/"),
            new("Upstream__Tga__RestBaseUrl", root),
            new("Upstream__Tga__UserName", TgaUserName),
            new("Upstream__Tga__Password", TgaPassword),
            new("Upstream__Cricos__BaseUrl", root),
            new("Upstream__Teqsa__BaseUrl", root),
            new("Upstream__Dfat__BaseUrl", root),
            new("Upstream__Abs__BaseUrl", root),
            new("Upstream__Jsa__BaseUrl", root),
            new("Upstream__DataGovAu__BaseUrl", root),
            new("Upstream__AusTender__BaseUrl", root),
            new("Upstream__AusTender__AtmBaseUrl", root),
            new("Upstream__Geocoder__BaseUrl", root),
            new("Upstream__Geocoder__ApiKey", SimulatorOptions.DefaultGeocoderApiKey),
            new("Upstream__DocsProxy__BaseUrl", root + "docs-proxy/"),
            new("Upstream__TrustProxy__BaseUrl", root + "trust-proxy/"),
            new("Upstream__AllowInsecureHttp", "true"),
        ];
    }
}
