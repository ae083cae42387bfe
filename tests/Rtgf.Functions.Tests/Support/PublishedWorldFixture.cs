using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Snapshots;
using Rtgf.Ingestion.Cricos;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Sanctions;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Ingestion.Teqsa;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Register;
using Rtgf.Testing;
using Rtgf.UpstreamSimulator;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// The simulator's small sample world published for real, and the app over it: the simulator in process, every connector
/// through the real outbound pipeline into snapshots in this fixture's Blob container (the app reads the same store), the
/// real compiler over the latest snapshots, and the app's own publisher. <see cref="PublishChangeAsync"/> applies a
/// simulator scenario, re-ingests TGA and publishes the next build.
/// </summary>
public sealed class PublishedWorldFixture() : StoredAppFixture(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero))
{
    private readonly List<HttpClient> _clients = [];
    private readonly ManualTimeProvider _simulatorTime = new(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ManualTimeProvider _ingestTime = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private SimulatorServer? _server;
    private OutboundHttpClientFactory? _factory;
    private HttpClient? _admin;
    private TgaSyncWorker? _tgaSync;
    private TgaIngestWorker? _tgaIngest;

    /// <summary>The hash key of this fixture's API keys (tests only).</summary>
    public const string HashKey = "cHVibGlzaGVkLXdvcmxkLXRlc3RzLWhhc2gta2V5LTMyYg==";

    /// <summary>The snapshots the app reads (this fixture's container).</summary>
    public ISnapshotStore Snapshots => Services.GetRequiredService<ISnapshotStore>();

    /// <summary>The publications made so far, first to last.</summary>
    public List<Publication> Publications { get; } = [];

    public RegisterGenerations Generations => Services.GetRequiredService<RegisterGenerations>();

    /// <summary>The latest snapshot of a source, parsed line by line.</summary>
    public async Task<List<JsonObject>> RecordsAsync(string source)
    {
        var snapshot = await Snapshots.GetLatestAsync(source) ?? throw new InvalidOperationException($"No {source} snapshot.");
        return [.. System.Text.Encoding.UTF8.GetString(snapshot.Records.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    /// <summary>Applies a simulator scenario, re-ingests TGA, compiles and publishes; returns the new publication.</summary>
    public async Task<Publication> PublishChangeAsync(string scenario)
    {
        await PostAdminAsync("_sim/scenarios/" + scenario);
        await PostAdminAsync("_sim/clock", new JsonObject { ["advanceSeconds"] = 60 });
        await RunTgaAsync();
        return await CompileAndPublishAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _admin?.Dispose();
        _factory?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>
    /// The catalogue's tests read <c>/v1</c> anonymously from one loopback address on a clock that stands still: the anonymous
    /// tier and the abuse list (tested in Access/) are set out of their way; keys work with <see cref="HashKey"/>.
    /// </summary>
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["ApiKeys:HashKey"] = HashKey,
        ["ApiAccess:AnonymousRequestsPerMinute"] = "1000000",
        ["ApiAccess:Abuse:UnauthorizedPerMinute"] = "1000000",
        ["ApiAccess:Abuse:NotFoundPerMinute"] = "1000000",
    };

    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        services.RemoveAll<ISnapshotStore>();
        services.AddSingleton<ISnapshotStore>(_ => new BlobSnapshotStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "snapshots")));
    }

    protected override async Task SeedAsync()
    {
        _server = await SimulatorServer.StartAsync(new SimulatorOptions { TimeProvider = _simulatorTime });
        _admin = new HttpClient { BaseAddress = _server.BaseAddress };
        _factory = new OutboundHttpClientFactory(_ingestTime, NullLoggerFactory.Instance);
        var tables = Azurite.TableService();
        var runs = new TableIngestRunLog(tables, Prefix);
        var states = SourceStates;
        var ledger = new TableBatchLedger(tables, Prefix);
        var recordTables = new TableRecordTables(tables, Prefix);
        var raw = new BlobRawPayloadStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "raw"));
        var soapOptions = new TgaSoapOptions { Outbound = Options("tga-soap", new Uri(_server.BaseAddress, "Deewr.Tga.WebServices/")), PageSize = 7 };
        soapOptions.Outbound.Credentials = new UpstreamCredentials { UserName = "sim-user", Password = "sim-password" };
        var soap = new TgaSoapClient(Client(soapOptions.Outbound), soapOptions);
        var options = new IngestOptions { TgaBatchSize = 5 };
        _tgaSync = new TgaSyncWorker(soap, runs, states, ledger, raw, options, _ingestTime);
        _tgaIngest = new TgaIngestWorker(soap, new TgaMirror(recordTables), runs, states, ledger, Snapshots, new TableDeadLetterLog(tables, Prefix), raw, options, _ingestTime);
        IFeedSource[] feeds =
        [
            new CricosFeed(new CricosClient(Client(Options("cricos", _server.BaseAddress))), new Uri(_server.BaseAddress, UpstreamSettings.DefaultCricosZipPath)),
            new TeqsaFeed(new TeqsaClient(Client(Options("teqsa", _server.BaseAddress))), _server.BaseAddress),
            new SanctionsFeed(new DfatClient(Client(Options("dfat", _server.BaseAddress))), new Uri(_server.BaseAddress, UpstreamSettings.DefaultDfatXlsxPath)),
        ];

        await RunTgaAsync();
        foreach (var feed in feeds)
        {
            _ingestTime.Advance(TimeSpan.FromMinutes(30));
            var outcome = await new FeedSyncWorker(feed, recordTables, Snapshots, runs, states, raw, _ingestTime).RunAsync(IngestTrigger.Manual);
            Assert.NotNull(outcome);
        }

        await CompileAndPublishAsync();
    }

    private async Task RunTgaAsync()
    {
        _ingestTime.Advance(TimeSpan.FromMinutes(30));
        var sync = await _tgaSync!.RunAsync(IngestTrigger.Manual);
        foreach (var batch in sync.Batches)
        {
            await _tgaIngest!.RunAsync(System.Text.Json.JsonSerializer.Serialize(batch, IngestJsonContext.Default.TgaIngestBatch), "m-" + batch.RunId + "-" + batch.Batch);
        }
    }

    private async Task<Publication> CompileAndPublishAsync()
    {
        var compiler = Services.GetRequiredService<IBuildCompiler>();
        var inputs = new List<Snapshot>();
        foreach (var source in compiler.Sources)
        {
            var snapshot = await Snapshots.GetLatestAsync(source);
            if (snapshot is not null)
            {
                inputs.Add(snapshot);
            }
            else if (compiler.RequiredSources.Contains(source))
            {
                throw new InvalidOperationException($"The sample world gave no {source} snapshot.");
            }
        }

        var build = compiler.Compile(inputs, BaseUrl);
        await Services.GetRequiredService<IBuildStore>().SaveAsync(BuildCompilation.ToStored(build));
        var publication = await PublishAsync(build);
        Publications.Add(publication);
        return publication;
    }

    private async Task PostAdminAsync(string path, JsonObject? body = null)
    {
        using var response = await _admin!.PostAsJsonAsync(path, body ?? []);
        response.EnsureSuccessStatusCode();
    }

    private static OutboundOptions Options(string name, Uri baseAddress) => new()
    {
        Name = name,
        BaseAddress = baseAddress,
        AttemptTimeout = null,
        TotalTimeout = null,
        MaxRetries = 0,
        RateLimitPermits = null,
        MaxConcurrency = null,
        BreakerFailureThreshold = 100,
    };

    private HttpClient Client(OutboundOptions options)
    {
#pragma warning disable CA2000 // The client owns the handler chain; the fixture disposes the clients.
        var client = _factory!.CreateClient(options, new RawCaptureHandler(new SocketsHttpHandler()));
#pragma warning restore CA2000
        _clients.Add(client);
        return client;
    }
}
