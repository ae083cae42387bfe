using System.Net;
using Rtgf.Functions.Endpoints;
using Rtgf.Functions.Tests.Support;
using Rtgf.Register;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>/v1/search's wiring: hits as the register's summaries with token links, facets, paging, bad input (the engine is the search part's).</summary>
[Collection(PublicApiWorld.Name)]
public sealed class PublicApiSearchTests(PublishedWorldFixture world)
{
    [Fact]
    public async Task Search_ByCode_GivesThatRecordFirst_WithItsTokenLink()
    {
        using var client = world.CreateClient();
        var rto = (await client.GetObjectAsync("/v1/rtos?limit=1"))["items"]![0]!;
        var code = (string)rto["code"]!;

        var page = await client.GetObjectAsync("/v1/search?q=" + code);

        var first = page["items"]![0]!;
        Assert.Equal("rto", (string)first["kind"]!);
        Assert.Equal(code, (string)first["code"]!);
        Assert.Equal(rto.ToJsonString(), first["rto"]!.ToJsonString());
        Assert.NotNull(page["facets"]);
    }

    [Fact]
    public async Task Search_PagesToTheEnd_WithoutDuplicatesOrGaps_AndFilters()
    {
        using var client = world.CreateClient();
        var first = await client.GetObjectAsync("/v1/search?q=Certificate&kind=component");
        var total = (int)first["total"]!;
        Assert.True(total > 3);

        var (items, builds) = await client.PageAllAsync("/v1/search?q=Certificate&kind=component&limit=3");

        Assert.Equal(total, items.Count);
        Assert.Equal(total, items.Select(i => (string)i["code"]!).Distinct().Count());
        Assert.All(items, i => Assert.Equal("component", (string)i["kind"]!));
        Assert.All(items, i => Assert.Contains("Certificate", (string)i["component"]!["title"]!, StringComparison.Ordinal));
        Assert.Single(builds.Distinct());
    }

    [Fact]
    public async Task Search_ACursorNearTheWindowsEnd_GetsAShortenedPage_AndOneAtItsEndIs400()
    {
        // Pages reach the first 10,000 hits: a next page that would cross them is shortened (never "limit too large" for a
        // cursor the API handed out). The sample world has fewer hits, so the cursors are made as the API makes them.
        using var client = world.CreateClient();
        var buildId = (string)(await client.GetObjectAsync("/v1/stats"))["buildId"]!;
        var fingerprint = RegisterCursor.FingerprintOf("SearchRegister|q=Certificate|kind=|registrationManager=|state=|status=|type=");
        string Cursor(int position) => new RegisterCursor(buildId["sha256:".Length..], position, fingerprint).Encode();

        using var near = await client.GetAsync($"/v1/search?q=Certificate&limit=50&cursor={Cursor(9_990)}");
        using var beyond = await client.GetAsync($"/v1/search?q=Certificate&limit=50&cursor={Cursor(10_000)}");

        Assert.Equal(HttpStatusCode.OK, near.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
    }

    [Theory]
    [InlineData(0, 50, 50)]
    [InlineData(9_950, 50, 50)]
    [InlineData(9_990, 50, 10)]
    [InlineData(9_999, 500, 1)]
    public void TheSearchWindow_ShortensAPageThatWouldCrossIt(int position, int limit, int expected)
    {
        var paging = new PublicApiPaging(position == 0 ? null : new RegisterCursor(new string('a', 64), position, "f"), limit, "f");

        Assert.Null(PublicApiQuery.CheckSearchWindow(paging, out var offset, out var shortened));
        Assert.Equal(position, offset);
        Assert.Equal(expected, shortened);
    }

    [Fact]
    public void TheSearchWindow_RefusesACursorAtItsEnd_WordedForEachSurface()
    {
        var refusal = PublicApiQuery.CheckSearchWindow(new PublicApiPaging(new RegisterCursor(new string('a', 64), 10_000, "f"), 1, "f"), out _, out _);

        Assert.Equal("search pages reach the first 10000 hits only: the cursor goes beyond them.", refusal?.ForRequest);
        Assert.Equal("Search pages reach the first 10000 hits only: the cursor goes beyond them.", refusal?.ForTool);
    }

    [Theory]
    [InlineData("/v1/search")]
    [InlineData("/v1/search?q=")]
    [InlineData("/v1/search?q=%20%20")]
    [InlineData("/v1/search?q=a&kind=planet")]
    [InlineData("/v1/search?q=a&limit=1000")]
    [InlineData("/v1/search?q=a&cursor=%F0%9F%92%A9")]
    public async Task BadSearches_Are400Problems(string path)
    {
        using var client = world.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:rtgf:problem:invalid-request", (string)(await response.ReadObjectAsync())["type"]!);
    }
}
