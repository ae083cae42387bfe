using Rtgf.Register.Search;

namespace Rtgf.Register.Tests.Search;

public sealed class RankingTests(SearchIndexFixture fixture) : IClassFixture<SearchIndexFixture>
{
    private async Task<IReadOnlyList<SearchHit>> Hits(string text, int limit = 10) =>
        (await fixture.Index.SearchAsync(new SearchQuery(text), 0, limit)).Hits;

    [Theory]
    [InlineData("BSB50120")]
    [InlineData("bsb50120")]
    [InlineData("  BsB50120 ")]
    public async Task ExactCode_IsFirst_WhateverItsCase(string text)
    {
        var hits = await Hits(text);

        Assert.Equal(("component", "BSB50120"), (hits[0].Kind, hits[0].Code));
        Assert.True(hits.Skip(1).All(h => h.Score < hits[0].Score), "nothing else scores as high as the exact code");
    }

    [Fact]
    public async Task ExactCode_ComesBefore_ATitleThatMentionsIt()
    {
        var hits = await Hits("tae40122");

        Assert.Equal(["TAE40122", "TAEASS502"], hits.Take(2).Select(h => h.Code));
    }

    [Fact]
    public async Task RtoCode_IsFoundExactly()
    {
        var hits = await Hits("3044");

        Assert.Equal(("rto", "3044"), (hits[0].Kind, hits[0].Code));
    }

    [Fact]
    public async Task TitleRelevance_PutsTheTitlesWithEveryWordFirst()
    {
        var hits = await Hits("early childhood education");

        Assert.Equal(["CHC30121", "CHC50121"], hits.Take(2).Select(h => h.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TitleRelevance_PrefersTheShorterTitleForTheSameWords()
    {
        var hits = await Hits("diploma business");

        Assert.Equal(["BSB50120", "BSB50415"], hits.Take(2).Select(h => h.Code));
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task AllSignificantWords_MustMatch_StopWordsOnlyScore()
    {
        var withStopWords = await fixture.AllAsync(new SearchQuery("diploma of business"));
        var without = await fixture.AllAsync(new SearchQuery("diploma business"));

        Assert.Equal(without.Hits.Select(h => h.Code).Order(StringComparer.Ordinal), withStopWords.Hits.Select(h => h.Code).Order(StringComparer.Ordinal));
        Assert.All(without.Hits, h => Assert.Contains("business", fixture.Find(h).Title, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("diplomma of buisness", "BSB50120")] // a doubled letter, a transposition
    [InlineData("certificate in carpentery", "CPC30220")] // an inserted letter
    [InlineData("cyber securty", "10983NAT")]
    [InlineData("Acme Trainng", "90003")]
    [InlineData("Acme Colege", "90003")] // a trading name
    [InlineData("informaton technologee", "ICT50220")] // two edits in a long word
    [InlineData("bsb50210", "BSB50120")] // a transposed code
    public async Task Typos_StillFindIt(string text, string code)
    {
        var hits = await Hits(text, 3);

        Assert.Equal(code, hits[0].Code);
    }

    [Fact]
    public async Task ANameRepeatingTheTitle_CountsOnce()
    {
        // An RTO's legal name is often both its title and one of its names; that must not count its words twice.
        using var index = LuceneCatalogueSearch.Build(
        [
            new SearchDocument("rto", "1", "Alpha Carpentry", ["alpha carpentry ", "Alpha Carpentry"], null, null, [], [], null),
            new SearchDocument("rto", "2", "Alpha Carpentry", [], null, null, [], [], null),
            new SearchDocument("rto", "3", "Beta Plumbing", ["Beta Plumbing", "Beta Pipes"], null, null, [], [], null),
        ]);

        var hits = (await index.SearchAsync(new SearchQuery("carpentry"), 0, 3)).Hits;

        Assert.Equal(["1", "2"], hits.Select(h => h.Code));
        Assert.Equal(hits[0].Score, hits[1].Score);
    }

    [Fact]
    public async Task AWordTheIndexHolds_IsNotExpanded_ATypoIs()
    {
        using var index = LuceneCatalogueSearch.Build(
        [
            new SearchDocument("component", "A1", "Plumbing basics", [], null, null, [], [], null),
            new SearchDocument("component", "A2", "Plumbling oddities", [], null, null, [], [], null),
        ]);

        Assert.Equal(["A1"], (await index.SearchAsync(new SearchQuery("plumbing basics"), 0, 5)).Hits.Select(h => h.Code));
        Assert.Equal(["A1", "A2"], (await index.SearchAsync(new SearchQuery("plumbimg"), 0, 5)).Hits.Select(h => h.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ShortWords_AreNotFuzzy()
    {
        // Three letters get no edits: "cat" finds neither "car" nor "care" (and no word starts with it).
        Assert.Empty(await Hits("cat"));
    }

    [Fact]
    public async Task TheLastWord_MatchesAsAPrefix()
    {
        Assert.Equal("CPC30220", (await Hits("certificate iii carpen"))[0].Code);
        Assert.Equal("90003", (await Hits("acme coll"))[0].Code);
    }

    [Fact]
    public async Task Accents_AreFolded()
    {
        Assert.Equal("HLTSS00068", (await Hits("cafe kitchen"))[0].Code);
        Assert.Equal("HLTSS00068", (await Hits("CAFÉ hygiene"))[0].Code);
    }

    [Theory]
    [InlineData(SearchCorpus.AcmeAbn)]
    [InlineData("51824753556")]
    [InlineData("ABN 51 824 753 556")]
    [InlineData("abn: 518 247 535 56")]
    public async Task Abn_MatchesWithOrWithoutSpaces(string text)
    {
        var hits = await Hits(text);

        Assert.Equal(("rto", "90003"), (hits[0].Kind, hits[0].Code));
        Assert.Single(hits);
    }

    [Fact]
    public async Task AnAbnWithAWrongDigit_FindsNothing()
    {
        Assert.Empty(await Hits("51 824 753 557"));
    }
}
