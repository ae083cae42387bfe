using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rtgf.UpstreamSimulator.Abs;
using Rtgf.UpstreamSimulator.Admin;
using Rtgf.UpstreamSimulator.AusTender;
using Rtgf.UpstreamSimulator.Calendar;
using Rtgf.UpstreamSimulator.Comms;
using Rtgf.UpstreamSimulator.Cricos;
using Rtgf.UpstreamSimulator.DataGovAu;
using Rtgf.UpstreamSimulator.Dfat;
using Rtgf.UpstreamSimulator.Enrichment;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Jsa;
using Rtgf.UpstreamSimulator.QuickBooks;
using Rtgf.UpstreamSimulator.Teqsa;
using Rtgf.UpstreamSimulator.Tga;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator;

/// <summary>
/// The upstream simulator on 127.0.0.1: TGA SOAP and REST, CRICOS, TEQSA, DFAT and QuickBooks Online in their real formats, Resend
/// and Cellcast (recording what they send), plus the <c>/_sim</c> admin API. Start it in process for tests, or through the exe.
/// </summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorServer(WebApplication app, Uri baseAddress, SimulatedWorld world, QuickBooksCompany quickBooks)
    {
        _app = app;
        BaseAddress = baseAddress;
        World = world;
        QuickBooks = quickBooks;
    }

    /// <summary>Root of every route, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    internal SimulatedWorld World { get; }

    internal QuickBooksCompany QuickBooks { get; }

    public static async Task<SimulatorServer> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > 65535)
        {
            throw new SimulatorException($"Port must be between 0 and 65535, not {options.Port}.");
        }

        if (string.IsNullOrEmpty(options.TgaUsername) || string.IsNullOrEmpty(options.TgaPassword))
        {
            throw new SimulatorException("The TGA username and password must not be empty.");
        }

        if (options.GeocoderRequestsPerSecond < 0 || string.IsNullOrEmpty(options.GeocoderApiKey))
        {
            throw new SimulatorException("The geocoder's requests per second must be 0 (no limit) or more, and its API key must not be empty.");
        }

        var world = options.Corpus == SimulatorCorpus.National
            ? WorldGenerator.National(options.Seed, options.Clock)
            : WorldGenerator.Small(options.Clock);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var faults = new FaultBoard();
        app.UseMiddleware<FaultMiddleware>(faults, options.TimeProvider);
        var quickBooks = new QuickBooksCompany(options.QuickBooksClientId, options.QuickBooksClientSecret, options.QuickBooksRealmId, options.TimeProvider);
        Map(app, world, faults, options);
        QuickBooksEndpoints.Map(app, quickBooks);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new SimulatorException($"Cannot listen on 127.0.0.1:{options.Port} ({e.Message}).", e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorServer(app, new Uri(address.TrimEnd('/') + "/"), world, quickBooks);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void Map(WebApplication app, SimulatedWorld world, FaultBoard faults, SimulatorOptions options)
    {
        AdminEndpoints.Map(app, world, faults);
        var soap = new SoapEndpoint(world, options);
        app.MapMethods("/Deewr.Tga.{webServices}/{service}/{binding?}", ["GET", "POST"], soap.HandleAsync);
        TgaRestEndpoints.Map(app, world);
        CricosEndpoints.Map(app, world);
        TeqsaEndpoints.Map(app, world);
        DfatEndpoints.Map(app, world);
        AbsEndpoints.Map(app, world);
        OslEndpoints.Map(app, world);
        IviEndpoints.Map(app, world);
        DataGovAuEndpoints.Map(app, world);
        HolidayEndpoints.Map(app, world);
        AusTenderEndpoints.Map(app, world);
        var sent = new CommsRecorder();
        ResendEndpoints.Map(app, sent, options);
        CellcastEndpoints.Map(app, sent, options);
        app.MapGet("/_sim/comms/sent", () => Results.Text(sent.Snapshot().ToJsonString(), "application/json"));
        app.MapDelete("/_sim/comms/sent", () =>
        {
            sent.Clear();
            return Results.NoContent();
        });
        EnrichmentEndpoints.Map(app, world, new GeocoderState(options.TimeProvider, options.GeocoderRequestsPerSecond), options.GeocoderApiKey);
    }
}
