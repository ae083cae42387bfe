using System.Buffers.Text;
using System.Text.Json;
using Rtgf.Compiler;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Register.Search;

namespace Rtgf.Register.Tests;

/// <summary>
/// A scope larger than <c>maxScopeItems</c> (500) is split by the real compiler into <c>rto-scope</c> parts, and the real
/// loader links each scope row to the part that lists it, by the row's identity rather than its position: a refused row
/// (in no token) in the middle of the order shifts no link, and no row links a part that does not list it.
/// </summary>
public sealed class ScopePartLinkTests
{
    private const string Big = "90001";
    private const string Small = "90002";
    private static readonly DateTimeOffset FetchedAt = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EveryRowOfAScopeInParts_LinksThePartThatListsIt_AndOnlyThatPart()
    {
        var snapshot = SnapshotBuilder.Build(RegisterSources.Tga, "scope-parts", FetchedAt, [], Records());
        var compiled = new TokenCompiler(PolicyMatrix.LoadDefault()).Compile([snapshot], "https://rtgf.test");
        var parts = compiled.Tokens.Where(t => t.Family == RegisterLoader.RtoScope).ToList();
        Assert.Equal(3, parts.Count); // 1,201 rows on scope: 500 + 500 + 201

        // Which part lists each row, from the tokens' facts (component, start, end, extent, implicit).
        var listedIn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            using var facts = JsonDocument.Parse(part.FactsJson);
            foreach (var item in facts.RootElement.GetProperty("items").EnumerateArray())
            {
                Assert.True(listedIn.TryAdd(Identity(item.GetProperty("component").GetString()!, Text(item, "start"), Text(item, "end"), Text(item, "extent")), part.TokenId));
            }
        }

        var stores = new Stores(snapshot, compiled);
        var view = await new RegisterLoader(stores, stores, stores, "https://rtgf.test", LuceneCatalogueSearch.Build)
            .LoadAsync(new Publication(compiled.BuildId, FetchedAt, compiled.Tokens.Count, 0, 0, compiled.Tokens.Count, 0));
        Assert.NotNull(view);
        try
        {
            var scope = view.GetScope(Big)!;
            Assert.Equal(1_202, scope.Count);
            foreach (var row in scope.Where(r => !r.IsRefused))
            {
                Assert.Equal(RegisterLoader.RtoScope, row.Token?.Family);
                Assert.Equal(listedIn[Identity(row.ComponentCode, row.StartDate, row.EndDate, row.Extent)], row.Token!.Id);
            }

            // Each part is linked by exactly the rows it lists; a refused row is in no token.
            Assert.Equal(
                parts.ToDictionary(p => p.TokenId, p => listedIn.Values.Count(v => v == p.TokenId)),
                scope.Where(r => r.Token is not null).GroupBy(r => r.Token!.Id).ToDictionary(g => g.Key, g => g.Count()));
            Assert.Null(Assert.Single(scope, r => r.IsRefused).Token);

            // Either side of the first boundary (items 499 and 500, after the refused row in the register's order): parts 1 and 2.
            var bySubject = parts.ToDictionary(p => p.Subject, p => p.TokenId, StringComparer.Ordinal);
            Assert.Equal(bySubject[$"rto:{Big}/scope/1"], scope.Single(r => r.ComponentCode == Unit(498)).Token!.Id);
            Assert.Equal(bySubject[$"rto:{Big}/scope/2"], scope.Single(r => r.ComponentCode == Unit(499)).Token!.Id);
            Assert.Equal(bySubject[$"rto:{Big}/scope/3"], scope.Single(r => r.ComponentCode == Unit(1199)).Token!.Id);

            // A small scope is carried by the registration token.
            Assert.All(view.GetScope(Small)!, r => Assert.Equal(RegisterLoader.RtoRegistration, r.Token?.Family));
        }
        finally
        {
            view.Retire();
        }
    }

    private static string Unit(int i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"BSB{i:D5}");

    private static IEnumerable<ISnapshotRecord> Records()
    {
        yield return new RtoRecord(Big, "Big Scope Institute Pty Ltd", "11111111111", [], "Current", "ASQA", new DateOnly(2010, 1, 1), new DateOnly(2030, 1, 1), null);
        yield return new RtoRecord(Small, "Small Scope College Pty Ltd", "22222222222", [], "Current", "ASQA", new DateOnly(2012, 1, 1), new DateOnly(2030, 1, 1), null);

        // 1,201 rows on scope (one per component, as the mirror keeps them) and, in the middle of the component order, a
        // refused row: it is in no token, so a link by position would be off by one for every row after it.
        yield return Scope(Big, "AAA00001", new DateOnly(2011, 1, 1), null);
        for (var i = 0; i < 1_200; i++)
        {
            yield return Scope(Big, Unit(i), new DateOnly(2012 + (i % 10), 1, 1), i % 3 == 0 ? new DateOnly(2025, 6, 30) : null);
        }

        yield return new ScopeRecord(Big, Unit(300) + "A", ["Unit"], "01", false, true, "Refused", new DateOnly(2021, 1, 1), null);
        yield return Scope(Small, Unit(1), new DateOnly(2020, 1, 1), null);
        yield return Scope(Small, Unit(2), new DateOnly(2020, 1, 1), null);
    }

    private static ScopeRecord Scope(string rto, string component, DateOnly start, DateOnly? end) =>
        new(rto, component, ["Unit"], "01", false, false, null, start, end);

    private static string Identity(string component, string? start, string? end, string? extent) =>
        string.Join('|', component, start ?? "", end ?? "", extent ?? "");

    private static string? Text(JsonElement item, string name) =>
        item.GetProperty(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>The snapshot, its build, and a registry holding the compiled tokens (logged in order), in memory.</summary>
    private sealed class Stores(Snapshot snapshot, CompileResult compiled) : ISnapshotStore, IBuildStore, ITokenRegistry
    {
        private readonly List<RegisteredToken> _tokens = [.. compiled.Tokens.Select((t, i) => new RegisteredToken(
            t.TokenId, t.Family, t.Subject, "e30." + Base64Url.EncodeToString(t.PayloadJson.Span) + ".c2ln", i, compiled.BuildId,
            t.IssuedAt, t.Expires, t.FactsDigest, "https://rtgf.test/status/1", i, 0))];

        public Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default) =>
            Task.FromResult<Snapshot?>(source == snapshot.Manifest.Source && digest == snapshot.Manifest.Digest ? snapshot : null);

        public Task<StoredBuild?> GetAsync(string buildId, CancellationToken cancellationToken = default) =>
            Task.FromResult<StoredBuild?>(buildId == compiled.BuildId ? new StoredBuild(buildId, compiled.ManifestJson, compiled.Inputs) : null);

        public Task<RegistryPage<RegisteredToken>> ListAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default) =>
            Task.FromResult(new RegistryPage<RegisteredToken>([.. _tokens.Where(t => t.Family == family).OrderBy(t => t.Subject, StringComparer.Ordinal)], null));

        Task<RegisteredToken?> ITokenRegistry.GetAsync(string tokenId, CancellationToken cancellationToken) =>
            Task.FromResult(_tokens.Find(t => t.TokenId == tokenId));

        public Task<Publication?> GetLatestPublicationAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> SaveAsync(StoredBuild build, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task PutDocumentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ReadOnlyMemory<byte>?> GetDocumentAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<RegisteredToken>> GetLatestAsync(string subject, string? family = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<FamilySummary>> GetFamiliesAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
