using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Ingestion.AusTender;
using Rtgf.Ingestion.Calendar;
using Rtgf.Ingestion.Cricos;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Sanctions;
using Rtgf.Ingestion.Teqsa;
using Rtgf.Ingestion.Tga;
using Rtgf.Testing;
using Rtgf.UpstreamSimulator;
using Rtgf.UpstreamSimulator.Cricos;
using Rtgf.UpstreamSimulator.Dfat;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Ingestion.Tests.Support;

/// <summary>
/// The small simulator world in process, and every connector wired through the real outbound pipeline to it. Pipeline
/// and simulator each have their own manual clock, so the simulator's <c>slow</c> fault hangs until the pipeline gives
/// up. Short backoffs; no timeouts or rate limit unless asked for (their timers would keep the clock driver busy).
/// </summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    private readonly OutboundHttpClientFactory _factory;
    private readonly List<HttpClient> _clients = [];

    private SimulatorHarness(SimulatorServer server, ManualTimeProvider time)
    {
        Server = server;
        Time = time;
        _factory = new OutboundHttpClientFactory(time, NullLoggerFactory.Instance);
        Admin = new HttpClient { BaseAddress = server.BaseAddress };
        Soap = CreateSoap();
        Rest = new TgaRestClient(Client(Options("tga-rest", server.BaseAddress)), pageSize: 7);
        Cricos = new CricosClient(Client(Options("cricos", server.BaseAddress)));
        Teqsa = new TeqsaClient(Client(Options("teqsa", server.BaseAddress)));
        Dfat = new DfatClient(Client(Options("dfat", server.BaseAddress)));
        JsaOsl = new JsaOslClient(Client(Options("jsa", server.BaseAddress)));
        Ivi = new JsaIviClient(Client(Options("jsa", server.BaseAddress)));
        Holidays = new PublicHolidaysClient(new CkanClient(Client(Options("datagovau", server.BaseAddress))));
        AusTender = new AusTenderClient(Client(Options("austender", server.BaseAddress)), server.BaseAddress);
        Atm = new AtmFeedClient(Client(Options("austender-atm", server.BaseAddress)), new Uri(server.BaseAddress, AtmFeedClient.DefaultFeedPath));
    }

    public SimulatorServer Server { get; }

    public SimulatedWorld World => Server.World;

    public ManualTimeProvider Time { get; }

    /// <summary>Plain client for <c>/_sim</c> (never faulted, outside the pipeline).</summary>
    public HttpClient Admin { get; }

    public TgaSoapClient Soap { get; }

    public TgaRestClient Rest { get; }

    public CricosClient Cricos { get; }

    public TeqsaClient Teqsa { get; }

    public DfatClient Dfat { get; }

    public JsaOslClient JsaOsl { get; }
    public JsaIviClient Ivi { get; }

    public PublicHolidaysClient Holidays { get; }
    public AusTenderClient AusTender { get; }

    public AtmFeedClient Atm { get; }

    public Uri CricosZip => new(Server.BaseAddress, $"data/dataset/{CricosEndpoints.DatasetId}/resource/{CricosEndpoints.ResourceId}/download/{CricosEndpoints.FileName}");

    public Uri DfatXlsx => new(Server.BaseAddress, DfatEndpoints.FilePath.TrimStart('/'));

    public static async Task<SimulatorHarness> StartAsync()
    {
        var simulatorTime = new ManualTimeProvider(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero));
        var server = await SimulatorServer.StartAsync(new SimulatorOptions { TimeProvider = simulatorTime });
        return new SimulatorHarness(server, new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    /// <summary>A SOAP client over its own pipeline (upstream name <paramref name="name"/>), 7 results a page so the small world spans pages.</summary>
    public TgaSoapClient CreateSoap(string name = "tga-soap", TimeSpan? attemptTimeout = null, string? organisationPath = null)
    {
        var options = new TgaSoapOptions { Outbound = Options(name, new Uri(Server.BaseAddress, "Deewr.Tga.WebServices/")), PageSize = 7 };
        options.Outbound.Credentials = new UpstreamCredentials { UserName = "sim-user", Password = "sim-password" };
        options.Outbound.AttemptTimeout = attemptTimeout;
        if (organisationPath is not null)
        {
            options.OrganisationPath = organisationPath;
        }

        return new TgaSoapClient(Client(options.Outbound), options);
    }

    /// <summary>Runs a connector call, advancing the pipeline clock by <paramref name="step"/> whenever it waits on a (retry) timer.</summary>
    public Task<T> DriveAsync<T>(Func<Task<T>> call, TimeSpan step)
    {
        // The baseline is read before the call starts: read after, a first attempt that already failed and scheduled its
        // retry delay (a busy machine can get that far) would count as baseline, and the delay would never be driven.
        var baseline = Time.PendingWaits;
        return Wait.DriveAsync(call(), Time, step, baseline);
    }

    /// <summary>Uses left of the counted fault rules in force.</summary>
    public async Task<int> FaultsLeftAsync()
    {
        var faults = JsonNode.Parse(await Admin.GetStringAsync("_sim/faults"))!["faults"]!.AsArray();
        return faults.Sum(f => (int)f!["count"]!);
    }

    public async Task<JsonObject> PostAdminAsync(string path, JsonObject? body = null)
    {
        using var response = await Admin.PostAsJsonAsync(path, body ?? []);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public Task<JsonObject> FaultAsync(string routePrefix, string mode, int count, int retryAfterSeconds = 1, int delaySeconds = 10) =>
        PostAdminAsync("_sim/faults", new JsonObject
        {
            ["routePrefix"] = routePrefix,
            ["mode"] = mode,
            ["count"] = count,
            ["retryAfterSeconds"] = retryAfterSeconds,
            ["delaySeconds"] = delaySeconds,
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        Admin.Dispose();
        _factory.Dispose();
        await Server.DisposeAsync();
    }

    private static OutboundOptions Options(string name, Uri baseAddress) => new()
    {
        Name = name,
        BaseAddress = baseAddress,
        AttemptTimeout = null,
        TotalTimeout = null,
        MaxRetries = 2,
        RetryBaseDelay = TimeSpan.FromMilliseconds(200),
        RetryMaxDelay = TimeSpan.FromSeconds(1),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        RateLimitPermits = null,
        MaxConcurrency = null,
        BreakerFailureThreshold = 100,
    };

    private HttpClient Client(OutboundOptions options)
    {
        var client = _factory.CreateClient(options);
        _clients.Add(client);
        return client;
    }
}
