using Rtgf.Register.Search;

namespace Rtgf.Register.Tests.Search;

public sealed class ConcurrencyAndLifetimeTests(SearchIndexFixture fixture) : IClassFixture<SearchIndexFixture>
{
    private static readonly SearchQuery[] Mix =
    [
        new("bsb50120"), new("diploma of buisness"), new("early childhood"), new(string.Empty, Kind: "rto"), new("certificate", Status: "current"),
        new(SearchCorpus.AcmeAbn), new("manage procedures"), new("carpen"), new("' OR 1=1 --"), new("security", State: "vic"),
    ];

    [Fact]
    public async Task ParallelSearches_OnOneIndex_GiveTheSequentialAnswers()
    {
        var expected = new List<string>();
        foreach (var query in Mix)
        {
            expected.Add(Describe(await fixture.Index.SearchAsync(query, 0, 25)));
        }

        var answers = new string[Mix.Length * 40];
        await Parallel.ForEachAsync(Enumerable.Range(0, answers.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            answers[i] = Describe(await fixture.Index.SearchAsync(Mix[i % Mix.Length], 0, 25, ct)));

        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal(expected[i % Mix.Length], answers[i]);
        }
    }

    [Fact]
    public async Task TwoIndexesOfTheSameDocuments_InAnyOrder_AnswerAlike()
    {
        using var reversed = LuceneCatalogueSearch.Build(fixture.Documents.Reverse());

        foreach (var query in Mix)
        {
            Assert.Equal(Describe(await fixture.Index.SearchAsync(query, 0, 50)), Describe(await reversed.SearchAsync(query, 0, 50)));
        }
    }

    [Fact]
    public async Task ADisposedIndex_RefusesSearches_ButAnswersItGaveRemain()
    {
        var index = LuceneCatalogueSearch.Build(SearchCorpus.Core);
        var before = await index.SearchAsync(new SearchQuery("diploma"), 0, 10);

        index.Dispose();
        index.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await index.SearchAsync(new SearchQuery("diploma"), 0, 10));
        Assert.Contains(before.Hits, h => h.Code == "BSB50120");
    }

    [Fact]
    public async Task ACancelledSearch_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await fixture.Index.SearchAsync(new SearchQuery("diploma"), 0, 10, cancelled.Token));
    }

    [Fact]
    public void DuplicateKeys_AndBlankCodes_AreRefused()
    {
        var duplicate = SearchCorpus.Component("BSB50120", "Another title", "Qualification", "Current", []);
        Assert.Throws<ArgumentException>(() => LuceneCatalogueSearch.Build([.. SearchCorpus.Core, duplicate]));
        Assert.Throws<ArgumentException>(() => LuceneCatalogueSearch.Build([SearchCorpus.Component(" ", "No code", "Unit", "Current", [])]));
    }

    [Fact]
    public async Task TheSameCodeUnderTwoKinds_IsTwoDocuments()
    {
        using var index = LuceneCatalogueSearch.Build([SearchCorpus.Component("3044", "A unit numbered like an RTO", "Unit", "Current", []), .. SearchCorpus.Core]);

        var hits = (await index.SearchAsync(new SearchQuery("3044"), 0, 5)).Hits;

        Assert.Equal([("component", "3044"), ("rto", "3044")], hits.Take(2).Select(h => (h.Kind, h.Code)));
    }

    [Fact]
    public async Task AnEmptyIndex_AnswersEmpty()
    {
        using var index = LuceneCatalogueSearch.Build([]);

        var results = await index.SearchAsync(new SearchQuery("diploma"), 0, 10);

        Assert.Equal(0, results.Total);
        Assert.Equal(SearchFacetNames.All.Count, results.Facets.Count);
    }

    private static string Describe(SearchResults results) =>
        string.Join('|', results.Hits.Select(h => FormattableString.Invariant($"{h.Kind}:{h.Code}:{h.Score:R}")))
        + "#" + results.Total.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + "#" + string.Join('|', results.Facets.SelectMany(f => f.Values.Select(v => FormattableString.Invariant($"{f.Name}={v.Value}:{v.Count}"))));
}
