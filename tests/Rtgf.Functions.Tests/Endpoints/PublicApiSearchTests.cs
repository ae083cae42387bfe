using System.Net;
using Rtgf.Functions.Tests.Support;

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
