using Microsoft.Extensions.Logging;
using Rtgf.Ingestion.Abs;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Abs;

/// <summary>
/// The simulator harness plus ABS clients through the real outbound pipeline on the harness's clock, the outbound log
/// recorded: one with the <c>jsa-proxy</c> translation (what the app uses) and one without it.
/// </summary>
internal sealed class AbsSimulator : IAsyncDisposable
{
    public const string LabourForce = "ABS,LF,1.0.0";
    public const string StateKey = "M3+M12+M13.3.1599.20.1+2+3+4+5+6+7+8+AUS.M";

    private readonly LoggerFactory _loggers;
    private readonly OutboundHttpClientFactory _factory;
    private readonly List<HttpClient> _clients = [];

    private AbsSimulator(SimulatorHarness sim)
    {
        Sim = sim;
        _loggers = new LoggerFactory([Log]);
        _factory = new OutboundHttpClientFactory(sim.Time, _loggers);
        Translated = Client("abs");
        Untranslated = Client("abs-untranslated", translation: false);
        Data = new AbsDataClient(Translated);
    }

    public SimulatorHarness Sim { get; }

    public RecordingLoggerProvider Log { get; } = new();

    /// <summary>An outbound client with the translation outermost.</summary>
    public HttpClient Translated { get; }

    /// <summary>The same pipeline without the translation: the proxy's POST goes to the upstream as it is.</summary>
    public HttpClient Untranslated { get; }

    public AbsDataClient Data { get; }

    public IEnumerable<string> Operations => Log.Entries.Where(e => e.Category == "Rtgf.Outbound" && e.State.ContainsKey("Operation")).Select(e => (string)e.State["Operation"]!);

    public static async Task<AbsSimulator> StartAsync() => new(await SimulatorHarness.StartAsync());

    /// <summary>A translated client of its own (its own circuit and limiters), e.g. with an attempt timeout.</summary>
    public HttpClient Client(string name, bool translation = true, TimeSpan? attemptTimeout = null)
    {
        var client = _factory.CreateClient(
            new OutboundOptions
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
            },
#pragma warning disable CA2000 // The client owns its handler chain.
            translation: translation ? new JsaProxyTranslation() : null);
#pragma warning restore CA2000
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
        _loggers.Dispose();
        await Sim.DisposeAsync();
    }
}
