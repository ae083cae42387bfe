using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Ingestion.Enrichment;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Enrichment;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Messages;
using Rtgf.Testing;
using Rtgf.UpstreamSimulator;

namespace Rtgf.Pipeline.Tests.Enrichment;

/// <summary>
/// The enrichment self-chain over Azurite (tables, the real <c>rtgf-enrich-sync</c> queue) against the small simulator world:
/// the TGA mirror is seeded with the world's RTOs (their head office as a location, their website), the clients go through
/// the real outbound pipeline, and <see cref="DrainAsync"/> delivers queue messages to the worker as the host would (a failed
/// delivery becomes visible again; the fifth goes to the poison queue). Counts successors per delivery (bounded fan-out).
/// </summary>
internal sealed class EnrichHarness : IAsyncDisposable
{
    /// <summary>The host's default maxDequeueCount.</summary>
    public const int MaxDequeueCount = 5;

    /// <summary>The world RTO seeded without an address (the no-address path).</summary>
    public const int NoAddressIndex = 3;

    private readonly OutboundHttpClientFactory _factory;
    private readonly List<HttpClient> _clients = [];
    private readonly CountingSender _sender;

    private EnrichHarness(SimulatorServer server, AzuriteFixture azurite, string prefix, int pageSize)
    {
        Server = server;
        Admin = new HttpClient { BaseAddress = server.BaseAddress };
        var tables = azurite.TableService();
        Tables = new TableRecordTables(tables, prefix);
        States = new TableSourceStateStore(tables, prefix);
        Runs = new EnrichRunStore(Tables);
        _sender = new CountingSender(new StorageQueueSender(azurite.Connection, prefix));
        var queues = azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding });
        Queue = queues.GetQueueClient(prefix + PipelineQueues.EnrichSync);
        Poison = queues.GetQueueClient(prefix + PipelineQueues.EnrichSync + "-poison");
        _factory = new OutboundHttpClientFactory(Time, NullLoggerFactory.Instance);
        Options = new EnrichOptions { PageSize = pageSize };
        Worker = new EnrichSyncWorker(
            Tables, Runs, States, _sender,
            new GeocoderClient(Client("geocoder", server.BaseAddress), SimulatorOptions.DefaultGeocoderApiKey, Time) { MaxBusyRetries = 0 },
            new DocsProxyClient(Client("docs-proxy", new Uri(server.BaseAddress, "docs-proxy/"))),
            new TrustProxyClient(Client("trust-proxy", new Uri(server.BaseAddress, "trust-proxy/"))),
            Options,
            Time);
    }

    public SimulatorServer Server { get; }

    public HttpClient Admin { get; }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 1, 0, 0, TimeSpan.Zero));

    public TableRecordTables Tables { get; }

    public TableSourceStateStore States { get; }

    public EnrichRunStore Runs { get; }

    public QueueClient Queue { get; }

    public QueueClient Poison { get; }

    public EnrichOptions Options { get; }

    public EnrichSyncWorker Worker { get; }

    /// <summary>The live RTOs seeded into the mirror.</summary>
    public int Rtos { get; private set; }

    /// <summary>Outcomes of every delivery so far.</summary>
    public List<EnrichOutcome> Outcomes { get; } = [];

    /// <summary>The most successors one delivery sent.</summary>
    public int MaxSendsPerDelivery { get; private set; }

    public static async Task<EnrichHarness> StartAsync(AzuriteFixture azurite, int pageSize = 7)
    {
        // No rate limit at the simulator: its clock is manual, so every request would fall in one second.
        var server = await SimulatorServer.StartAsync(new SimulatorOptions { TimeProvider = new ManualTimeProvider(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero)), GeocoderRequestsPerSecond = 0 });
        var harness = new EnrichHarness(server, azurite, azurite.UniqueName("e"), pageSize);
        await harness.SeedMirrorAsync();
        return harness;
    }

    /// <summary>Writes world RTO <paramref name="index"/> into the mirror again with TGA status <paramref name="status"/>.</summary>
    public async Task SetStatusAsync(int index, string status)
    {
        var r = Server.World.Rtos.Where(r => r.Deleted is null).ElementAt(index);
        var record = new RtoRecord(r.Code, r.LegalName, r.Abn, [r.TradingName], status, r.RegistrationManager, r.RegistrationStart, r.RegistrationEnd, r.Updated.AddDays(1))
        {
            Locations = [new RtoAddress("AUS", r.Address.Line1, null, r.Address.Postcode, r.Address.State, r.Address.Suburb)],
            Websites = [r.Website],
        };
        await new TgaMirror(Tables).ApplyOrganisationAsync(new Rtgf.Ingestion.Tga.OrganisationDetails(record, []), r.Updated.AddDays(1), "status");
    }

    /// <summary>Every live world RTO into the TGA mirror through <see cref="TgaMirror"/>, as the TGA ingest writes them.</summary>
    private async Task SeedMirrorAsync()
    {
        var mirror = new TgaMirror(Tables);
        var rtos = Server.World.Rtos.Where(r => r.Deleted is null).ToList();
        for (var i = 0; i < rtos.Count; i++)
        {
            var r = rtos[i];
            var record = new RtoRecord(r.Code, r.LegalName, r.Abn, [r.TradingName], "Current", r.RegistrationManager, r.RegistrationStart, r.RegistrationEnd, r.Updated)
            {
                Locations = i == NoAddressIndex ? [] : [new RtoAddress("AUS", r.Address.Line1, null, r.Address.Postcode, r.Address.State, r.Address.Suburb)],
                Websites = [r.Website],
            };
            await mirror.ApplyOrganisationAsync(new Rtgf.Ingestion.Tga.OrganisationDetails(record, []), r.Updated, "seed");
        }

        Rtos = rtos.Count;
    }

    /// <summary>
    /// Delivers messages until the queue is empty (or <paramref name="maxDeliveries"/>): each to the worker; success deletes it,
    /// failure makes it visible again, the fifth failure moves it to the poison queue (the host's behaviour).
    /// </summary>
    public async Task<int> DrainAsync(int maxDeliveries = 500)
    {
        var deliveries = 0;
        while (deliveries < maxDeliveries)
        {
            var received = (await Queue.ReceiveMessageAsync(TimeSpan.FromMinutes(5))).Value;
            if (received is null)
            {
                return deliveries;
            }

            deliveries++;
            var before = _sender.Sends;
            try
            {
                Outcomes.Add(await Worker.RunPageAsync(EnrichSyncWorker.ReadMessage(received.Body.ToString())));
                await Queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                if (Worker.Checkpoint is not null)
                {
                    // A crashed process: the host sees the message again only once its lease lapses, as does the page's claim.
                    Time.Advance(Options.PageLease);
                }

                if (received.DequeueCount >= MaxDequeueCount)
                {
                    await Poison.CreateIfNotExistsAsync();
                    await Poison.SendMessageAsync(received.Body);
                    await Queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);
                }
                else
                {
                    await Queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
            }

            MaxSendsPerDelivery = Math.Max(MaxSendsPerDelivery, _sender.Sends - before);
        }

        return deliveries;
    }

    /// <summary>
    /// Receives every visible message (up to 32) and delivers them all at once, as a host with several instances or a batch
    /// would; a success deletes its message, a failure makes it visible again. Returns the outcomes in delivery order.
    /// </summary>
    public async Task<EnrichOutcome[]> DeliverVisibleConcurrentlyAsync()
    {
        var received = (await Queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
        var outcomes = await Task.WhenAll(received.Select(async m =>
        {
            var outcome = await Worker.RunPageAsync(EnrichSyncWorker.ReadMessage(m.Body.ToString()));
            await Queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            return outcome;
        }));
        Outcomes.AddRange(outcomes);
        return outcomes;
    }

    /// <summary>Sends a copy of a message (a duplicate delivery).</summary>
    public Task SendAsync(string body) => _sender.SendAsync(PipelineQueues.EnrichSync, body, TimeSpan.Zero);

    /// <summary>The delays the worker asked for, one per send (the queue gets none: the manual clock cannot move Azurite's).</summary>
    public IReadOnlyList<TimeSpan> SendDelays => _sender.Delays;

    /// <summary>Takes one message off the queue without delivering it (a lost message), returning its body.</summary>
    public async Task<string> LoseOneAsync()
    {
        var received = (await Queue.ReceiveMessageAsync()).Value ?? throw new InvalidOperationException("The queue is empty.");
        await Queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);
        return received.Body.ToString();
    }

    public static async Task<int> QueueLengthAsync(QueueClient queue) =>
        await queue.ExistsAsync() ? (await queue.PeekMessagesAsync(32)).Value.Length : 0;

    public async Task<JsonNode> GeocoderAsync() => JsonNode.Parse(await Admin.GetStringAsync("_sim/geocoder"))!;

    public async Task PostAsync(string path, JsonObject body)
    {
        using var response = await Admin.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await Admin.DeleteAsync("_sim/faults");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The enrichment rows: code → JSON.</summary>
    public async Task<Dictionary<string, JsonNode>> RowsAsync()
    {
        var rows = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        await foreach (var row in Tables.Open(IngestTables.RtoEnrichment).ReadAllAsync())
        {
            rows.Add(row.PartitionKey, JsonNode.Parse(row.Json)!);
        }

        return rows;
    }

    public async Task<EnrichRun> CurrentAsync() => (await Runs.GetCurrentAsync())!.Value.Run;

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _factory.Dispose();
        Admin.Dispose();
        await Server.DisposeAsync();
    }

    private HttpClient Client(string name, Uri baseAddress)
    {
        var client = _factory.CreateClient(new OutboundOptions
        {
            Name = name,
            BaseAddress = baseAddress,
            AttemptTimeout = null,
            TotalTimeout = null,
            MaxRetries = 0,
            RateLimitPermits = null,
            MaxConcurrency = null,
            BreakerFailureThreshold = 0,
        });
        _clients.Add(client);
        return client;
    }

    /// <summary>Counts the successors sent and records the delays asked for; sends at once (a delay is time the test moves).</summary>
    private sealed class CountingSender(IDelayedQueueSender inner) : IDelayedQueueSender
    {
        private readonly List<TimeSpan> _delays = [];
        private int _sends;

        public int Sends => Volatile.Read(ref _sends);

        public IReadOnlyList<TimeSpan> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        public async Task SendAsync(string queueName, string message, TimeSpan delay, CancellationToken cancellationToken = default)
        {
            await inner.SendAsync(queueName, message, TimeSpan.Zero, cancellationToken);
            lock (_delays)
            {
                _delays.Add(delay);
            }

            Interlocked.Increment(ref _sends);
        }
    }
}
