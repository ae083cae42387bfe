using Rtgf.Register.Search;

namespace Rtgf.Register.Tests.Search;

public sealed class FilterAndFacetTests(SearchIndexFixture fixture) : IClassFixture<SearchIndexFixture>
{
    public static TheoryData<string, string> Filters => new()
    {
        { SearchFacetNames.Kind, "rto" },
        { SearchFacetNames.Kind, "COMPONENT" },
        { SearchFacetNames.Status, "superseded" },
        { SearchFacetNames.Status, "Cancelled" },
        { SearchFacetNames.ComponentType, "skillset" },
        { SearchFacetNames.ComponentType, "Unit" },
        { SearchFacetNames.State, "wa" },
        { SearchFacetNames.State, " VIC " },
        { SearchFacetNames.RegistrationManager, "vrqa" },
        { SearchFacetNames.RegistrationManager, "TAC" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task EachFilter_Browses_ExactlyTheMatchingDocuments_CaseInsensitively(string facet, string value)
    {
        var results = await fixture.AllAsync(Filtered(string.Empty, facet, value));

        var expected = fixture.Documents.Where(d => Values(d, facet).Contains(value.Trim(), StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, results.Total);
        Assert.Equal(expected.Select(d => (d.Kind, d.Code)).Order(), results.Hits.Select(h => (h.Kind, h.Code)).Order());
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task EachFilter_NarrowsATextSearch(string facet, string value)
    {
        var all = await fixture.AllAsync(new SearchQuery("diploma"));
        var filtered = await fixture.AllAsync(Filtered("diploma", facet, value));

        var expected = all.Hits.Where(h => Values(fixture.Find(h), facet).Contains(value.Trim(), StringComparer.OrdinalIgnoreCase)).Select(h => h.Code).Order(StringComparer.Ordinal);
        Assert.Equal(expected, filtered.Hits.Select(h => h.Code).Order(StringComparer.Ordinal));
        Assert.Equal(filtered.Hits.Count, filtered.Total);
    }

    [Fact]
    public async Task Filters_Combine()
    {
        var results = await fixture.AllAsync(new SearchQuery(string.Empty, Kind: "rto", Status: "current", State: "nsw"));

        var expected = fixture.Documents.Count(d => d.Kind == "rto" && d.Status == "Current" && d.States.Contains("NSW"));
        Assert.Equal(expected, results.Total);
        Assert.Contains(results.Hits, h => h.Code == "90003");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task BlankFilters_DoNotFilter(string? blank)
    {
        var results = await fixture.Index.SearchAsync(new SearchQuery(string.Empty, blank, blank, blank, blank, blank), 0, 0);

        Assert.Equal(fixture.Documents.Count, results.Total);
    }

    [Fact]
    public async Task AnUnknownFilterValue_MatchesNothing()
    {
        var results = await fixture.Index.SearchAsync(new SearchQuery("diploma", State: "Atlantis"), 0, 10);

        Assert.Equal(0, results.Total);
        Assert.Empty(results.Hits);
    }

    [Fact]
    public async Task Facets_CountEveryMatchingDocument_NotJustThePage()
    {
        var page = await fixture.Index.SearchAsync(new SearchQuery("diploma"), 0, 5);
        var all = await fixture.AllAsync(new SearchQuery("diploma"));

        Assert.True(page.Total > 5 * 10, $"enough matches to tell a page from all ({page.Total})");
        Assert.Equal(all.Total, page.Total);
        Assert.Equal(Expected(all.Hits.Select(fixture.Find)), Flatten(page.Facets));
    }

    [Fact]
    public async Task Facets_OfABrowse_CountTheWholeIndex_InTheirOrder()
    {
        var results = await fixture.Index.SearchAsync(new SearchQuery(string.Empty), 0, 0);

        Assert.Equal(SearchFacetNames.All, results.Facets.Select(f => f.Name));
        Assert.Equal(Expected(fixture.Documents), Flatten(results.Facets));
        Assert.Equal(fixture.Documents.Count, results.Facets.Single(f => f.Name == SearchFacetNames.Kind).Values.Sum(v => v.Count));
    }

    [Fact]
    public async Task Facets_AreSortedByCountThenValue()
    {
        var results = await fixture.Index.SearchAsync(new SearchQuery(string.Empty), 0, 0);

        foreach (var facet in results.Facets)
        {
            var sorted = facet.Values.OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal);
            Assert.Equal(sorted, facet.Values);
        }
    }

    [Fact]
    public async Task NoMatches_StillNameEveryFacet()
    {
        var results = await fixture.Index.SearchAsync(new SearchQuery("zzzzqqqq"), 0, 10);

        Assert.Equal(0, results.Total);
        Assert.Equal(SearchFacetNames.All, results.Facets.Select(f => f.Name));
        Assert.All(results.Facets, f => Assert.Empty(f.Values));
    }

    private static SearchQuery Filtered(string text, string facet, string value) => facet switch
    {
        SearchFacetNames.Kind => new SearchQuery(text, Kind: value),
        SearchFacetNames.Status => new SearchQuery(text, Status: value),
        SearchFacetNames.ComponentType => new SearchQuery(text, ComponentType: value),
        SearchFacetNames.State => new SearchQuery(text, State: value),
        _ => new SearchQuery(text, RegistrationManager: value),
    };

    private static IEnumerable<string> Values(SearchDocument d, string facet) => facet switch
    {
        SearchFacetNames.Kind => [d.Kind],
        SearchFacetNames.Status => d.Status is { } s ? [s] : [],
        SearchFacetNames.ComponentType => d.ComponentTypes,
        SearchFacetNames.State => d.States,
        _ => d.RegistrationManager is { } m ? [m] : [],
    };

    /// <summary>Facet counts computed the slow way: (facet, value, count), sorted.</summary>
    private static List<(string, string, int)> Expected(IEnumerable<SearchDocument> documents)
    {
        var list = documents.ToList();
        return [.. SearchFacetNames.All
            .SelectMany(f => list.SelectMany(d => Values(d, f).Distinct()).GroupBy(v => v, StringComparer.Ordinal).Select(g => (f, g.Key, g.Count())))
            .Order()];
    }

    private static List<(string, string, int)> Flatten(IEnumerable<SearchFacet> facets) =>
        [.. facets.SelectMany(f => f.Values.Select(v => (f.Name, v.Value, v.Count))).Order()];
}
