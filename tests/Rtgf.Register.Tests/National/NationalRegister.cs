using Rtgf.Compiler;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Register.Search;
using Rtgf.Tooling;
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
        var snapshot = SnapshotBuilder.Build(RegisterSources.Tga, "national-test", FetchedAt, [], WorldRecords.Tga(World));
        var buildId = "sha256:" + new string('e', 64);
        var build = new StoredBuild(buildId, ReadOnlyMemory<byte>.Empty, [new BuildInput(RegisterSources.Tga, snapshot.Manifest.Digest, snapshot.Manifest.RecordCount)]);
        var stores = new MemoryBuildStores([snapshot], build);
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
}
