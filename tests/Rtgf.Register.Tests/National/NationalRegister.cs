using System.Globalization;
using Rtgf.Compiler;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Register.Search;
using Rtgf.UpstreamSimulator.Tga;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Register.Tests.National;

/// <summary>
/// The simulator's national world (4,000 RTOs, ~27,000 components, ~500,000 scope rows) as a TGA snapshot, loaded by the
/// real <see cref="RegisterLoader"/> from in-memory stores (no tokens: the register links none), built once per test class.
/// </summary>
public sealed class NationalRegister : IDisposable
{
    public const ulong Seed = 20261205;
    private static readonly DateTimeOffset FetchedAt = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public NationalRegister()
    {
        World = WorldGenerator.National(Seed, FetchedAt);
        var snapshot = SnapshotBuilder.Build(RegisterSources.Tga, "national-test", FetchedAt, [], Tga(World));
        var buildId = "sha256:" + new string('e', 64);
        var build = new StoredBuild(buildId, ReadOnlyMemory<byte>.Empty, [new BuildInput(RegisterSources.Tga, snapshot.Manifest.Digest, snapshot.Manifest.RecordCount)]);
        var stores = new Stores(snapshot, build);
        View = new RegisterLoader(stores, stores, stores, "https://rtgf.invalid", documents => LuceneCatalogueSearch.Build(documents))
            .LoadAsync(new Publication(buildId, FetchedAt, 0, 0, 0, 0, 0)).GetAwaiter().GetResult() ?? throw new InvalidOperationException("The build was not found.");
        AsOf = DateOnly.FromDateTime(FetchedAt.UtcDateTime);
        Assert.True(View.TryAcquire());
    }

    internal SimulatedWorld World { get; }

    public RegisterView View { get; }

    public DateOnly AsOf { get; }

    /// <summary>The label TGA gives a status (what the connectors store).</summary>
    internal static string Status(Rtgf.UpstreamSimulator.World.Rto rto) => OrganisationSoapService.StatusLabel(rto.Status);

    /// <summary>Current on the as-of date: started, not ended before it (the simulator refuses nothing).</summary>
    internal bool IsCurrent(Rtgf.UpstreamSimulator.World.ScopeRow row) => row.Start <= AsOf && (row.End is not { } end || end >= AsOf);

    public void Dispose()
    {
        View.Release();
        View.Retire();
    }

    /// <summary>RTOs (with their address as a location, so they have a state), scope rows and components, as the TGA connector writes them.</summary>
    private static IEnumerable<ISnapshotRecord> Tga(SimulatedWorld world)
    {
        foreach (var rto in world.Rtos)
        {
            if (rto.Deleted is { } deleted)
            {
                yield return new TombstoneRecord("rto:" + rto.Code, "delete", deleted);
                continue;
            }

            yield return new RtoRecord(rto.Code, rto.LegalName, rto.Abn, [rto.TradingName], Status(rto), rto.RegistrationManager, rto.RegistrationStart, rto.RegistrationEnd, rto.Updated)
            {
                Locations = [new RtoAddress("AU", rto.Address.Line1, null, rto.Address.Postcode, rto.Address.State, rto.Address.Suburb)],
            };
            for (var i = rto.ScopeStart; i < rto.ScopeStart + rto.ScopeCount; i++)
            {
                var row = world.Scope[i];
                var component = world.Components[row.Component];
                yield return new ScopeRecord(rto.Code, component.Code, [component.Kind.ToString()], "0" + row.Extent.ToString(CultureInfo.InvariantCulture), false, false, null, row.Start, row.End);
            }
        }

        foreach (var c in world.Components)
        {
            if (c.Deleted is { } deleted)
            {
                yield return new TombstoneRecord("component:" + c.Code, "delete", deleted);
                continue;
            }

            yield return new TrainingComponentRecord(
                c.Code, [c.Kind.ToString()], c.Title, c.Usage.ToString(), c.Usage.ToString(), [new ReleaseRecord("1", c.LatestReleaseDate, c.Usage.ToString(), [])],
                c.Supersedes is null ? [] : [c.Supersedes], c.SupersededBy is null ? [] : [c.SupersededBy],
                [new UsageRecommendationRecord(c.Usage.ToString(), c.UsageSince, null)], c.PackageCode, c.Updated);
        }
    }

    /// <summary>One snapshot and one build in memory, and a registry with no tokens.</summary>
    private sealed class Stores(Snapshot snapshot, StoredBuild build) : ISnapshotStore, IBuildStore, ITokenRegistry
    {
        public Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default) =>
            Task.FromResult<Snapshot?>(source == snapshot.Manifest.Source && digest == snapshot.Manifest.Digest ? snapshot : null);

        public Task<StoredBuild?> GetAsync(string buildId, CancellationToken cancellationToken = default) =>
            Task.FromResult<StoredBuild?>(buildId == build.BuildId ? build : null);

        public Task<RegistryPage<RegisteredToken>> ListAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default) =>
            Task.FromResult(new RegistryPage<RegisteredToken>([], null));

        public Task<Publication?> GetLatestPublicationAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> SaveAsync(StoredBuild build, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task PutDocumentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ReadOnlyMemory<byte>?> GetDocumentAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        Task<RegisteredToken?> ITokenRegistry.GetAsync(string tokenId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<RegisteredToken>> GetLatestAsync(string subject, string? family = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<FamilySummary>> GetFamiliesAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
