using Rtgf.Register.Search;

namespace Rtgf.Register.Tests;

/// <summary>A generation built from hand-made records: chains, filters, pages, and when its search index closes.</summary>
public sealed class RegisterViewTests
{
    private static readonly SnapshotLink Tga = new("tga", "sha256:" + new string('1', 64));

    private static Component Component(string code, string[] supersedes, string[] supersededBy, string type = "Qualification") =>
        new(code, "Title " + code, [type], supersededBy.Length > 0 ? "Superseded" : "Current", null, null, [], [], supersedes, supersededBy, null, null, Tga);

    private static Rto Rto(string code, params string[] states) =>
        new(code, "Org " + code, null, [], "Current", "ASQA", null, null, states, [], [], 0, 0, null, null, null, Tga);

    private static ScopeRow Row(string component, bool current) =>
        new(component, ["Qualification"], null, false, !current, null, "2020-01-01", null, current, null, null, Tga);

    private static RegisterView View(CountingSearch search) => new(
        "sha256:" + new string('b', 64),
        "2026-03-01",
        [Tga],
        [Rto("1", "NSW"), Rto("2", "VIC"), Rto("3")],
        new Dictionary<string, ScopeRow[]>(StringComparer.Ordinal)
        {
            ["1"] = [Row("A3", current: true)],
            ["2"] = [Row("A3", current: true), Row("B1", current: false)],
            ["9"] = [Row("A3", current: true)], // an organisation with no RTO record
        },
        // A1 → A2 → A3, and a cycle C1 ⇄ C2 that must not loop.
        [Component("A1", [], ["A2"]), Component("A2", ["A1"], ["A3"]), Component("A3", ["A2"], []), Component("B1", [], [], "Unit"), Component("C1", ["C2"], ["C2"]), Component("C2", ["C1"], ["C1"])],
        [],
        new Dictionary<string, CricosCourse[]>(StringComparer.Ordinal),
        new Dictionary<string, CricosLocation[]>(StringComparer.Ordinal),
        [],
        0,
        new LabourMarket([], _ => (null, null), [], [], new Dictionary<string, string[]>(StringComparer.Ordinal), []),
        documents => search.Take(documents));

    [Fact]
    public void SupersessionChains_AreFollowedTransitivelyBothWays_WithoutLooping()
    {
        var view = View(new CountingSearch());

        Assert.Equal(["A2", "A3"], view.GetComponentDetail("A1")!.SupersededByChain);
        Assert.Equal(["A2", "A1"], view.GetComponentDetail("A3")!.SupersedesChain);
        Assert.Equal(["C2"], view.GetComponentDetail("C1")!.SupersededByChain);
        Assert.Null(view.GetComponentDetail("Z9"));
    }

    [Fact]
    public void Filters_UseCurrentScopeAndIgnoreCase()
    {
        var view = View(new CountingSearch());

        Assert.Equal(["1", "2"], view.FindRtos(component: "a3").Select(r => r.Code));
        Assert.Empty(view.FindRtos(component: "B1"));
        Assert.Equal(["2"], view.FindRtos(state: "vic").Select(r => r.Code));
        Assert.Equal(["2"], view.FindProviders("A3", "VIC").Select(p => p.Rto.Code));
        Assert.Equal(["B1"], view.FindComponents(type: "unit").Select(c => c.Code));
        Assert.Equal(["B1"], view.FindScope("2", current: false)!.Select(r => r.ComponentCode));
        Assert.Empty(view.FindScope("3")!);
        Assert.Null(view.FindScope("4"));
        Assert.Null(view.FindScope("9"));
        Assert.Equal(3, view.Stats.Rtos.CurrentScopeRows);
        Assert.Equal(4, view.Stats.Rtos.ScopeRows);
        Assert.Equal(1, view.Stats.Rtos.ByState["unknown"]);
    }

    [Fact]
    public void Pages_CarryTheCursorOfTheNextPage_UntilTheLast()
    {
        var view = View(new CountingSearch());

        var first = view.Page(view.Components, 0, 4, "0123456789abcdef");
        Assert.True(RegisterCursor.TryParse(first.NextCursor!, out var cursor, out _));
        var last = view.Page(view.Components, cursor!.Position, 4, "0123456789abcdef");

        Assert.Equal(view.BuildHex, cursor.BuildHex);
        Assert.Equal(["A1", "A2", "A3", "B1", "C1", "C2"], first.Items.Concat(last.Items).Select(c => c.Code));
        Assert.Null(last.NextCursor);
        Assert.Equal(6, last.Total);
    }

    [Fact]
    public void TheSearchIndex_IsDisposedOnlyWhenRetiredAndTheLastHoldIsReleased()
    {
        var search = new CountingSearch();
        var view = View(search);
        Assert.Equal(9, search.Documents);

        Assert.True(view.TryAcquire());
        view.Retire();
        Assert.Equal(0, search.Disposed);
        Assert.False(view.TryAcquire());

        view.Release();
        Assert.Equal(1, search.Disposed);
    }

    private sealed class CountingSearch : ICatalogueSearch
    {
        public int Documents { get; private set; }

        public int Disposed { get; private set; }

        public CountingSearch Take(IEnumerable<SearchDocument> documents)
        {
            Documents = documents.Count();
            return this;
        }

        public ValueTask<SearchResults> SearchAsync(SearchQuery query, int offset, int limit, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new SearchResults(0, [], []));

        public void Dispose() => Disposed++;
    }
}
