using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tests.Support;

namespace Rtgf.Ingestion.Tests.DataGovAu;

/// <summary>The simulator harness plus CKAN clients through the real outbound pipeline on the harness's clock.</summary>
internal sealed class CkanSimulator : IAsyncDisposable
{
    private readonly OutboundHttpClientFactory _factory;
    private readonly List<HttpClient> _clients = [];

    private CkanSimulator(SimulatorHarness sim)
    {
        Sim = sim;
        _factory = new OutboundHttpClientFactory(sim.Time, NullLoggerFactory.Instance);
        Ckan = new CkanClient(Client("datagovau"));
    }

    public SimulatorHarness Sim { get; }

    public CkanClient Ckan { get; }

    public static async Task<CkanSimulator> StartAsync() => new(await SimulatorHarness.StartAsync());

    /// <summary>A client of its own (its own circuit), e.g. with small pages or an attempt timeout.</summary>
    public HttpClient Client(string name, TimeSpan? attemptTimeout = null)
    {
        var client = _factory.CreateClient(new OutboundOptions
        {
            Name = name,
            BaseAddress = Sim.Server.BaseAddress,
            AttemptTimeout = attemptTimeout,
            TotalTimeout = null,
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(200),
            RetryMaxDelay = TimeSpan.FromSeconds(1),
            MaxRetryAfter = TimeSpan.FromSeconds(5),
            RateLimitPermits = null,
            MaxConcurrency = null,
            BreakerFailureThreshold = 100,
        });
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _factory.Dispose();
        await Sim.DisposeAsync();
    }
}
