using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rtgf.Azure.Connections;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Azure.Snapshots;
using Rtgf.Azure.Transparency;
using Rtgf.Core.Signing;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Revocation;
using Rtgf.Testing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>One isolated deployment on Azurite: its own tables (by prefix) and containers, a development issuer key and a manual clock.</summary>
internal sealed class PublishingWorld : IDisposable
{
    public const string Origin = "rtgf.test/log";
    public const string BaseUrl = "https://registry.rtgf.test";

    private PublishingWorld(
        IRecordStore records, IBuildStore builds, ILogObjectStore log, ILogWriterLock logLock, BlobSnapshotStore snapshots, StorageConnection connection, QueueServiceClient queues, string queuePrefix)
    {
        Records = records;
        Connection = connection;
        Queues = queues;
        QueuePrefix = queuePrefix;
        Builds = builds;
        Log = log;
        LogLock = logLock;
        Snapshots = snapshots;
        IssuerKey = LocalDevelopmentSigner.Create();
        Issuer = new FixedIssuerSigner(IssuerKey);
        Clock = new ManualTimeProvider(TestTokens.FetchedAt.AddDays(1));
        Options = Microsoft.Extensions.Options.Options.Create(new IssuerOptions { Issuer = TestTokens.Issuer, PublicBaseUrl = BaseUrl, LogOrigin = Origin });
    }

    public IRecordStore Records { get; }

    /// <summary>The storage connection the publish stage re-queues waiting requests through.</summary>
    public StorageConnection Connection { get; }

    /// <summary>This world's queues, read as the trigger reads them (base64).</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>This world's queues are <c>{prefix}rtgf-publish</c> etc.</summary>
    public string QueuePrefix { get; }

    public QueueClient PublishQueue => Queues.GetQueueClient(QueuePrefix + PipelineQueues.Publish);

    public IBuildStore Builds { get; }

    public ILogObjectStore Log { get; }

    /// <summary>The log's writer lease: a real Blob lease on Azurite, shared by every publisher of this world.</summary>
    public ILogWriterLock LogLock { get; }

    public BlobSnapshotStore Snapshots { get; }

    public LocalDevelopmentSigner IssuerKey { get; }

    public IIssuerSigner Issuer { get; }

    public ManualTimeProvider Clock { get; }

    public IOptions<IssuerOptions> Options { get; }

    public ITokenRegistry Registry => new RecordTokenRegistry(Records);

    public IRevocationReader Revocations => new RecordRevocationReader(Records);

    public IKeySetReader Keys => new RecordKeySetReader(Records, Issuer);

    public static async Task<PublishingWorld> CreateAsync(AzuriteFixture azurite)
    {
        var records = new TableRecordStore(azurite.TableService(), azurite.UniqueName("p"));
        var builds = new BlobBuildStore(await azurite.NewContainerAsync("builds"));
        var logContainer = await azurite.NewContainerAsync("log");
        var snapshots = new BlobSnapshotStore(await azurite.NewContainerAsync("snap"));
        var queues = azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding });
        return new PublishingWorld(
            records, builds, new BlobLogObjectStore(logContainer), new BlobLogWriterLock(logContainer, Eventually.RealTime), snapshots, azurite.Connection, queues, azurite.UniqueName("w") + "-");
    }

    public IPublicationFreeze Freeze(CrashBudget? budget = null) =>
        new RecordPublicationFreeze(RecordsFor(budget), LogFor(budget), LogLock, Issuer, Options, Clock);

    public Publisher Publisher(CrashBudget? budget = null, int chunkSize = 2) =>
        new(RecordsFor(budget), BuildsFor(budget), LogFor(budget), LogLock, Issuer, Freeze(budget), Options, Clock) { ChunkSize = chunkSize };

    public BuildCompilation Compilation(IBuildCompiler compiler) =>
        new(Snapshots, compiler, Builds, Options, NullLogger<BuildCompilation>.Instance);

    public PublishStage PublishStage(IBuildCompiler compiler, ILoggerFactory? logs = null) =>
        new(Builds, Snapshots, compiler, Publisher(), Waits(logs), Options);

    public PublishWaits Waits(ILoggerFactory? logs = null) =>
        new(new StorageQueueSender(Connection, QueuePrefix), Clock, (logs ?? NullLoggerFactory.Instance).CreateLogger<PublishWaits>());

    public HandOffClaims HandOffs() => new(Records, Clock, NullLogger<HandOffClaims>.Instance);

    /// <summary>A log appender as a publish delivery opens one: this world's log, holding its lease, with the issuer key.</summary>
    internal Task<LogAppender> OpenAppenderAsync() => LogAppender.OpenAsync(Records, Log, LogLock, IssuerKey, Origin, CancellationToken.None);

    public NoteVerifierKey LogKey => new LogIntegrator(Log, Origin, IssuerKey).VerifierKey;

    public LogReader Reader => new(new StoreObjectSource(Log));

    /// <summary>The verified checkpoint's size (0 for an empty log).</summary>
    public async Task<long> LogSizeAsync()
    {
        var note = await Reader.ReadCheckpointAsync();
        if (note is null)
        {
            return 0;
        }

        var verification = await Reader.ReadVerifiedCheckpointAsync([LogKey], Origin);
        Assert.True(verification.IsValid, verification.Reason);
        return verification.Checkpoint!.Size;
    }

    /// <summary>Every log entry, parsed, in index order.</summary>
    public async Task<List<JsonElement>> EntriesAsync()
    {
        var size = await LogSizeAsync();
        var entries = new List<JsonElement>();
        for (long i = 0; i < size; i++)
        {
            var bytes = await Reader.GetEntryAsync(i, size);
            using var document = JsonDocument.Parse(bytes);
            entries.Add(document.RootElement.Clone());
        }

        return entries;
    }

    public static IEnumerable<JsonElement> OfType(IEnumerable<JsonElement> entries, string type) =>
        entries.Where(e => e.GetProperty("type").GetString() == type);

    public void Dispose() => IssuerKey.Dispose();

    private IRecordStore RecordsFor(CrashBudget? budget) => budget is null ? Records : new CrashingRecordStore(Records, budget);

    private IBuildStore BuildsFor(CrashBudget? budget) => budget is null ? Builds : new CrashingBuildStore(Builds, budget);

    private ILogObjectStore LogFor(CrashBudget? budget) => budget is null ? Log : new CrashingLogObjectStore(Log, budget);
}
