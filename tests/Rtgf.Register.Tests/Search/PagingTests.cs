using Rtgf.Register.Search;

namespace Rtgf.Register.Tests.Search;

public sealed class PagingTests(SearchIndexFixture fixture) : IClassFixture<SearchIndexFixture>
{
    public static TheoryData<string, string?, int> Queries => new()
    {
        { string.Empty, null, 97 },
        { "diploma", null, 13 },
        { "certificate", "current", 50 },
        { "training", null, 7 },
        { "manage procedures", null, 11 }, // many equal scores: the tie-break does the work
        { "acme", null, 1 },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task PagingToTheEnd_ReturnsEveryHitOnce_InTheOrderOfOneWindow(string text, string? status, int pageSize)
    {
        var query = new SearchQuery(text, Status: status);
        var whole = await fixture.AllAsync(query);
        var paged = new List<SearchHit>();
        for (var offset = 0; ; offset += pageSize)
        {
            var page = await fixture.Index.SearchAsync(query, offset, pageSize);
            Assert.Equal(whole.Total, page.Total);
            paged.AddRange(page.Hits);
            if (page.Hits.Count < pageSize)
            {
                break;
            }
        }

        Assert.True(whole.Total > 0);
        Assert.Equal(whole.Total, paged.Count);
        Assert.Equal(paged.Count, paged.Select(h => (h.Kind, h.Code)).Distinct().Count());
        Assert.Equal(whole.Hits, paged);
    }

    [Fact]
    public async Task EqualScores_AreOrderedByKindThenCode()
    {
        var whole = await fixture.AllAsync(new SearchQuery("manage procedures"));

        var ties = whole.Hits.GroupBy(h => h.Score).Where(g => g.Count() > 1).ToList();
        Assert.NotEmpty(ties);
        foreach (var tie in ties)
        {
            Assert.Equal(tie.OrderBy(h => h.Kind, StringComparer.Ordinal).ThenBy(h => h.Code, StringComparer.Ordinal), tie);
        }

        Assert.Equal(whole.Hits.OrderByDescending(h => h.Score), whole.Hits);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \t ")]
    public async Task BlankText_BrowsesByKindThenCode(string text)
    {
        var results = await fixture.AllAsync(new SearchQuery(text));

        var expected = fixture.Documents.OrderBy(d => d.Kind, StringComparer.Ordinal).ThenBy(d => d.Code, StringComparer.Ordinal).Select(d => (d.Kind, d.Code));
        Assert.Equal(expected, results.Hits.Select(h => (h.Kind, h.Code)));
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, -1)]
    [InlineData(0, LuceneCatalogueSearch.MaxWindow + 1)]
    [InlineData(LuceneCatalogueSearch.MaxWindow, 1)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public async Task AWindowBeyondTheLimit_IsOutOfRange(int offset, int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await fixture.Index.SearchAsync(new SearchQuery("diploma"), offset, limit));
    }

    [Fact]
    public async Task TheLastWindow_AndAnEmptyPage_AreAnswered()
    {
        var last = await fixture.Index.SearchAsync(new SearchQuery(string.Empty), LuceneCatalogueSearch.MaxWindow - 10, 10);
        var countOnly = await fixture.Index.SearchAsync(new SearchQuery("diploma"), 0, 0);
        var beyondTheEnd = await fixture.Index.SearchAsync(new SearchQuery("diploma"), 5_000, 10);

        Assert.Empty(last.Hits); // fewer documents than the window
        Assert.Empty(countOnly.Hits);
        Assert.True(countOnly.Total > 0);
        Assert.Empty(beyondTheEnd.Hits);
        Assert.Equal(countOnly.Total, beyondTheEnd.Total);
    }
}
