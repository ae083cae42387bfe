using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Azure.Pipeline.Stats;
using Rtgf.Azure.Transparency;
using Rtgf.Compiler;
using Rtgf.Core.Signing;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Revocation;
using Rtgf.Pipeline.Stats;
using Rtgf.Testing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// The function app in process over Azurite, composed as the app composes itself (the table record store, the Blob log
/// store and writer lease, the build store, the source state store, and every reader and writer over them), with a
/// development issuer key and a manual clock. Each fixture works in its own tables and containers (a prefix) on the one
/// <see cref="SharedAzurite"/>. Subclasses seed data through the real writers (<see cref="Publisher"/>, the freeze, the
/// source state store) in <see cref="SeedAsync"/>.
/// </summary>
public abstract class StoredAppFixture : FunctionsApp
{
    public const string BaseUrl = "http://localhost";
    public const string Origin = "localhost/rtgf/log";

    private readonly LocalDevelopmentSigner _issuer = LocalDevelopmentSigner.Create();
    private AzuriteFixture? _azurite;

    protected StoredAppFixture(DateTimeOffset now) => Clock = new ManualTimeProvider(now);

    public ManualTimeProvider Clock { get; }

    public ISigner Issuer => _issuer;

    /// <summary>This fixture's tables are <c>{Prefix}tokens</c> etc., its containers <c>{Prefix}log</c> and <c>{Prefix}builds</c>.</summary>
    public string Prefix { get; private set; } = "";

    public AzuriteFixture Azurite => _azurite ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The app's transparency log store (Blob).</summary>
    public ILogObjectStore Store => Services.GetRequiredService<ILogObjectStore>();

    /// <summary>The app's publisher: publishes builds and revokes tokens (the same instance <c>/ops/revocations</c> uses).</summary>
    public Publisher Publisher => Services.GetRequiredService<Publisher>();

    public IRecordStore Records => Services.GetRequiredService<IRecordStore>();

    public ITokenRegistry TokenRegistry => Services.GetRequiredService<ITokenRegistry>();

    public IRevocationReader RevocationReader => Services.GetRequiredService<IRevocationReader>();

    public ISourceStateStore SourceStates => Services.GetRequiredService<ISourceStateStore>();

    /// <summary>The log's verifier key (the issuer key signs checkpoints).</summary>
    public string VerifierKey => new LogIntegrator(Store, Origin, _issuer).VerifierKey.ToString();

    public override async Task InitializeAsync()
    {
        _azurite = await AzuriteAsync();
        Prefix = _azurite.UniqueName("api");
        await _azurite.BlobService().GetBlobContainerClient(Prefix + "log").CreateAsync();
        await _azurite.BlobService().GetBlobContainerClient(Prefix + "builds").CreateAsync();
        await StartAsync();
        await SeedAsync();
    }

    /// <summary>Publishes <paramref name="build"/> through the app's publisher, as the publish stage does.</summary>
    public Task<Publication> PublishAsync(CompileResult build) => Publisher.PublishAsync(BuildCompilation.ToStored(build), build);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _issuer.Dispose();
    }

    protected abstract Task SeedAsync();

    /// <summary>The Azurite this fixture stores in: the shared one, or (a fixture that wipes storage) its own.</summary>
    protected virtual Task<AzuriteFixture> AzuriteAsync() => SharedAzurite.GetAsync();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Rtgf:Issuer"] = BaseUrl,
        ["Rtgf:PublicBaseUrl"] = BaseUrl,
        ["Rtgf:LogOrigin"] = Origin,
        ["RtgfStorage"] = Azurite.ConnectionString,

        // The access tables (keys, usage, abuse blocks) are this fixture's own, so one fixture's blocks never reach another.
        ["ApiAccess:TablePrefix"] = Prefix,
        ["Audit:TablePrefix"] = Prefix,
    };

    /// <summary>The stored composition in this fixture's tables and containers; subclasses add decorators of the real readers, never replacements.</summary>
    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
        services.RemoveAll<IIssuerSigner>();
        services.AddSingleton<IIssuerSigner>(new TestIssuerSigner(_issuer));

        // The app's stores, in this fixture's tables and containers.
        services.RemoveAll<IRecordStore>();
        services.AddSingleton<IRecordStore>(sp => new TableRecordStore(sp.GetRequiredService<TableServiceClient>(), Prefix));
        services.RemoveAll<ISourceStateStore>();
        services.AddSingleton<ISourceStateStore>(sp => new TableSourceStateStore(sp.GetRequiredService<TableServiceClient>(), Prefix));
        services.RemoveAll<IBuildStore>();
        services.AddSingleton<IBuildStore>(_ => new BlobBuildStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "builds")));
        services.RemoveAll<IStatsDocumentStore>();
        services.AddSingleton<IStatsDocumentStore>(_ => new BlobStatsDocumentStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "stats")));
        services.RemoveAll<ILogObjectStore>();
        services.AddSingleton<ILogObjectStore>(_ => new BlobLogObjectStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "log")));
        services.RemoveAll<ILogWriterLock>();

        // The lease is renewed on real time, as in the pipeline tests: the manual clock never fires its timers on its own.
        services.AddSingleton<ILogWriterLock>(_ => new BlobLogWriterLock(Azurite.BlobService().GetBlobContainerClient(Prefix + "log"), Eventually.RealTime));
        ConfigureStoredServices(services);
    }

    /// <summary>Test doubles a subclass adds over the stored composition (decorators of the real readers, never replacements).</summary>
    protected virtual void ConfigureStoredServices(IServiceCollection services)
    {
    }
}
