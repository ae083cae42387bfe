using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Snapshots;
using Rtgf.Ingestion.AusTender;
using Rtgf.Ingestion.Calendar;
using Rtgf.Ingestion.Cricos;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Sanctions;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Ingestion.Teqsa;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Calendar;
using Rtgf.Pipeline.Ingest;
using Rtgf.Testing;
using Rtgf.UpstreamSimulator;

namespace Rtgf.Pipeline.Tests.Ingest.Support;

/// <summary>
/// The small simulator world in process, every connector through the real outbound pipeline (raw capture innermost),
/// and the workers over Table/Blob stores in Azurite under names of their own. The pipeline's clock is manual: tests
/// advance it between runs (run ids are per second) and <see cref="DriveAsync{T}"/> advances it while the worker waits.
/// </summary>
internal sealed class IngestHarness : IAsyncDisposable
{
    private readonly OutboundHttpClientFactory _factory;
    private readonly List<HttpClient> _clients = [];
    private readonly ManualTimeProvider _simulatorTime;

    private IngestHarness(SimulatorServer server, ManualTimeProvider simulatorTime, AzuriteFixture azurite, string prefix, TimeSpan? attemptTimeout)
    {
        Server = server;
        _simulatorTime = simulatorTime;
        _factory = new OutboundHttpClientFactory(Time, NullLoggerFactory.Instance);
        Admin = new HttpClient { BaseAddress = server.BaseAddress };
        var tables = azurite.TableService();
        var blobs = azurite.BlobService();
        Runs = new TableIngestRunLog(tables, prefix);
        States = new TableSourceStateStore(tables, prefix);
        Ledger = new TableBatchLedger(tables, prefix);
        DeadLetters = new TableDeadLetterLog(tables, prefix);
        Tables = new TableRecordTables(tables, prefix);
        RawContainer = blobs.GetBlobContainerClient(prefix + "raw");
        Raw = new BlobRawPayloadStore(RawContainer);
        SnapshotContainer = blobs.GetBlobContainerClient(prefix + "snapshots");
        Snapshots = new BlobSnapshotStore(SnapshotContainer);
        Mirror = new TgaMirror(Tables);

        var soapOptions = new TgaSoapOptions { Outbound = Options("tga-soap", new Uri(server.BaseAddress, "Deewr.Tga.WebServices/")), PageSize = 7 };
        soapOptions.Outbound.Credentials = new UpstreamCredentials { UserName = "sim-user", Password = "sim-password" };
        soapOptions.Outbound.AttemptTimeout = attemptTimeout;
        var soap = new TgaSoapClient(Client(soapOptions.Outbound), soapOptions);
        var options = new IngestOptions { TgaBatchSize = 5 };
        TgaSync = new TgaSyncWorker(soap, Runs, States, Ledger, Raw, options, Time);
        TgaIngest = new TgaIngestWorker(soap, Mirror, Runs, States, Ledger, Snapshots, DeadLetters, Raw, options, Time);
        Cricos = Feed(new CricosFeed(new CricosClient(Client(Options("cricos", server.BaseAddress))), new Uri(server.BaseAddress, UpstreamSettings.DefaultCricosZipPath)));
        Teqsa = Feed(new TeqsaFeed(new TeqsaClient(Client(Options("teqsa", server.BaseAddress))), server.BaseAddress));
        Sanctions = Feed(new SanctionsFeed(new DfatClient(Client(Options("dfat", server.BaseAddress))), new Uri(server.BaseAddress, UpstreamSettings.DefaultDfatXlsxPath)));
        Osl = Feed(new OslFeed(new JsaOslClient(Client(Options("jsa", server.BaseAddress))), UpstreamSettings.DefaultJsaOslPagePath));
        Ivi = Feed(new IviFeed(new JsaIviClient(Client(Options("jsa", server.BaseAddress))), UpstreamSettings.DefaultIviPagePath, Time));
        KeyDates = global::Rtgf.Pipeline.Calendar.KeyDates.Load();
        Calendar = Feed(new CalendarFeed(new PublicHolidaysClient(new CkanClient(Client(Options("datagovau", server.BaseAddress)))), PublicHolidaysClient.DatasetId, KeyDates, CalendarSettings.DefaultYearsAhead, Time));
    }

    public SimulatorServer Server { get; }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    public HttpClient Admin { get; }

    public TableIngestRunLog Runs { get; }

    public TableSourceStateStore States { get; }

    public TableBatchLedger Ledger { get; }

    public TableDeadLetterLog DeadLetters { get; }

    public TableRecordTables Tables { get; }

    public global::Azure.Storage.Blobs.BlobContainerClient RawContainer { get; }

    public BlobRawPayloadStore Raw { get; }

    public global::Azure.Storage.Blobs.BlobContainerClient SnapshotContainer { get; }

    public ISnapshotStore Snapshots { get; }

    /// <summary>Names of every stored snapshot manifest of a source.</summary>
    public async Task<List<string>> ManifestNamesAsync(string source) =>
        [.. (await BlobNames.ListAsync(SnapshotContainer, $"snapshots/{source}/")).Where(n => n.EndsWith("/manifest.json", StringComparison.Ordinal))];

    public TgaMirror Mirror { get; }

    public TgaSyncWorker TgaSync { get; }

    public TgaIngestWorker TgaIngest { get; }

    public FeedSyncWorker Cricos { get; }

    public FeedSyncWorker Teqsa { get; }

    public FeedSyncWorker Sanctions { get; }

    public FeedSyncWorker Osl { get; }
    public FeedSyncWorker Ivi { get; }

    public KeyDates KeyDates { get; }

    /// <summary>calendar-sync: the simulator's holidays dataset and the checked-in key dates (two years ahead).</summary>
    public FeedSyncWorker Calendar { get; }

    public static async Task<IngestHarness> StartAsync(AzuriteFixture azurite, TimeSpan? attemptTimeout = null)
    {
        var simulatorTime = new ManualTimeProvider(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero));
        var server = await SimulatorServer.StartAsync(new SimulatorOptions { TimeProvider = simulatorTime });
        return new IngestHarness(server, simulatorTime, azurite, azurite.UniqueName("i"), attemptTimeout);
    }

    /// <summary>Moves the pipeline clock on (the next run gets a new id) and the upstream clock with it.</summary>
    public void NextRun()
    {
        Time.Advance(TimeSpan.FromMinutes(30));
        using var response = Admin.PostAsJsonAsync("_sim/clock", new JsonObject { ["advanceSeconds"] = 60 }).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A sync, then every batch delivered once in order; returns the sync and the ingest outcomes.</summary>
    public async Task<(TgaSyncOutcome Sync, List<TgaIngestOutcome> Ingests)> RunTgaAsync()
    {
        NextRun();
        var sync = await DriveAsync(() => TgaSync.RunAsync(IngestTrigger.Manual));
        var ingests = new List<TgaIngestOutcome>();
        foreach (var batch in sync.Batches)
        {
            ingests.Add(await DriveAsync(() => TgaIngest.RunAsync(Body(batch), "m-" + batch.RunId + "-" + batch.Batch)));
        }

        return (sync, ingests);
    }

    public static string Body(TgaIngestBatch batch) => JsonSerializer.Serialize(batch, IngestJsonContext.Default.TgaIngestBatch);

    /// <summary>
    /// Runs <paramref name="call"/>, driving the pipeline clock only while the worker waits on it: to the next wait (a retry
    /// delay, a Retry-After) when one is pending, or to the next timeout when the simulator holds a request parked on its own
    /// clock (a slow fault: only a timeout ends that request). A timeout guarding a request the simulator is answering never
    /// fires because the request took a while in real time. Bounded in real time.
    /// </summary>
    public async Task<T> DriveAsync<T>(Func<Task<T>> call)
    {
        var task = call();
        for (var i = 0; i < 6000 && !task.IsCompleted; i++)
        {
            if (Time.NextWaitDue is { } wait)
            {
                Time.AdvanceTo(wait);
                continue;
            }

            if (_simulatorTime.PendingTimers > 0 && Time.NextTimerDue is { } timeout)
            {
                Time.AdvanceTo(timeout);
                continue;
            }

            Thread.Sleep(5);
        }

        if (!task.IsCompleted)
        {
            throw new TimeoutException("The worker did not finish while the clock was being driven.");
        }

        return await task;
    }

    public async Task<JsonObject> PostAdminAsync(string path, JsonObject? body = null)
    {
        using var response = await Admin.PostAsJsonAsync(path, body ?? []);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Applies a scenario and returns its one applied change.</summary>
    public async Task<JsonObject> ScenarioAsync(string name)
    {
        var applied = Assert.Single((await PostAdminAsync("_sim/scenarios/" + name))["applied"]!.AsArray())!.AsObject();
        await PostAdminAsync("_sim/clock", new JsonObject { ["advanceSeconds"] = 60 }); // the change lies inside the next window
        return applied;
    }

    public Task<JsonObject> FaultAsync(string routePrefix, string mode, int count) =>
        PostAdminAsync("_sim/faults", new JsonObject { ["routePrefix"] = routePrefix, ["mode"] = mode, ["count"] = count, ["retryAfterSeconds"] = 1, ["delaySeconds"] = 30 });

    public async Task ClearFaultsAsync()
    {
        using var response = await Admin.DeleteAsync("_sim/faults");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Every row of a table, keyed by record key.</summary>
    public async Task<Dictionary<string, MirrorRow>> RowsAsync(string table)
    {
        var rows = new Dictionary<string, MirrorRow>(StringComparer.Ordinal);
        await foreach (var row in Tables.Open(table).ReadAllAsync())
        {
            rows[row.PartitionKey + "/" + row.RowKey] = row;
        }

        return rows;
    }

    /// <summary>An AusTender OCDS client on its own pipeline (raw capture innermost), against the simulator.</summary>
    public AusTenderClient AusTenderClient() => new(Client(Options("austender", Server.BaseAddress)), Server.BaseAddress);

    /// <summary>A <c>tender-sync</c> worker over the harness stores (or the given wrappers of them) on <paramref name="time"/>.</summary>
    public TenderSyncWorker Tender(TenderSyncOptions options, TimeProvider time, IRecordTables? tables = null, ISourceStateStore? states = null, ISnapshotStore? snapshots = null) => new(
        AusTenderClient(),
        new AtmFeedClient(Client(Options("austender-atm", Server.BaseAddress)), new Uri(Server.BaseAddress, AtmFeedClient.DefaultFeedPath)),
        Mirror, tables ?? Tables, snapshots ?? Snapshots, Runs, states ?? States, Raw, options, time);

    public Task<List<string>> RawNamesAsync(string prefix) => BlobNames.ListAsync(RawContainer, prefix);

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
        MaxRetryAfter = TimeSpan.FromSeconds(2),
        RateLimitPermits = null,
        MaxConcurrency = null,
        BreakerFailureThreshold = 100,
    };

    private FeedSyncWorker Feed(IFeedSource source) => new(source, Tables, Snapshots, Runs, States, Raw, Time);

    private HttpClient Client(OutboundOptions options)
    {
        var client = _factory.CreateClient(options, new RawCaptureHandler(new SocketsHttpHandler()));
        _clients.Add(client);
        return client;
    }
}
