using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Tests.Publishing;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Registry;

[Collection(PublishingCollection.Name)]
public sealed class RecordTokenRegistryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetLatestAsync_SubjectsSharingAPrefix_ReturnsOnlyThatSubjectsTokensByFamily()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var rto = TestTokens.Token("rto-registration", "x:1", """{"name":"One"}""");
        var scope = TestTokens.Token("rto-scope", "x:1", """{"scope":["BSB"]}""");
        var longer = TestTokens.Token("rto-registration", "x:10", """{"name":"Ten"}""");
        var piped = TestTokens.Token("rto-registration", "x:1|y", """{"name":"Piped"}""");
        var build = TestTokens.Build(rto, scope, longer, piped);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build);

        var latest = await world.Registry.GetLatestAsync("x:1");
        var one = await world.Registry.GetLatestAsync("x:1", "rto-scope");
        var none = await world.Registry.GetLatestAsync("x:1", "training-component");

        Assert.Equal([rto.TokenId, scope.TokenId], latest.Select(t => t.TokenId));
        Assert.Equal(scope.TokenId, Assert.Single(one).TokenId);
        Assert.Empty(none);
        Assert.Equal(piped.TokenId, Assert.Single(await world.Registry.GetLatestAsync("x:1|y")).TokenId);
        Assert.Equal(longer.TokenId, Assert.Single(await world.Registry.GetLatestAsync("x:10")).TokenId);
    }

    [Fact]
    public async Task GetLatestAsync_FactsChanged_ReturnsTheReplacement()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var first = TestTokens.Token("rto-registration", "x:2", """{"status":"current"}""");
        var changed = TestTokens.Token("rto-registration", "x:2", """{"status":"cancelled"}""");
        var build1 = TestTokens.Build(first);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(build1), build1);
        var build2 = TestTokens.Build(changed);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(build2), build2);

        Assert.Equal(changed.TokenId, Assert.Single(await world.Registry.GetLatestAsync("x:2")).TokenId);
        Assert.Equal(first.TokenId, (await world.Registry.GetAsync(first.TokenId))?.TokenId);
    }

    [Fact]
    public async Task ListCatalogAsync_ListsWhatListAsyncLists_WithEachTokensLogIndex_PageByPage()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var tokens = Enumerable.Range(0, 5).Select(i => TestTokens.Token("rto-registration", "c:" + i, $$"""{"n":{{i}}}""")).ToArray();
        var build = TestTokens.Build(tokens);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build);

        var listed = new List<Rtgf.Pipeline.Registry.RegisteredToken>();
        var catalog = new List<Rtgf.Pipeline.Registry.CatalogEntry>();
        string? cursor = null;
        do
        {
            var page = await world.Registry.ListAsync("rto-registration", cursor, 2);
            listed.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        do
        {
            var page = await world.Registry.ListCatalogAsync("rto-registration", cursor, 2);
            catalog.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(5, catalog.Count);
        Assert.Equal(listed.Select(t => (t.Subject, t.TokenId, t.LogIndex, t.FactsDigest)), catalog.Select(e => (e.Subject, e.TokenId, e.LogIndex, e.FactsDigest)));
        Assert.Equal(5, catalog.Select(e => e.LogIndex).Distinct().Count());
    }
}
