using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

public sealed class CatalogEndpointsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Catalog_ListsFamiliesAndTheLatestPublication()
    {
        using var client = api.CreateClient();

        var catalog = await (await client.GetAsync(new Uri("/catalog", UriKind.Relative))).ReadObjectAsync();

        var family = Assert.Single(catalog["families"]!.AsArray());
        Assert.Equal(5, family!["currentTokens"]!.GetValue<long>());
        Assert.Equal(api.TokenBatch.Checkpoint.Size, catalog["latestPublication"]!["treeSize"]!.GetValue<long>());
    }

    [Fact]
    public async Task FamilyPages_FollowTheCursorThroughEveryToken()
    {
        using var client = api.CreateClient();
        var subjects = new List<string>();
        var next = "/catalog/" + ApiFixture.Family + "?limit=2";

        while (next is not null)
        {
            var page = await (await client.GetAsync(new Uri(next, UriKind.Relative))).ReadObjectAsync();
            subjects.AddRange(page["items"]!.AsArray().Select(i => i!["subject"]!.GetValue<string>()));
            next = page["next"]?.GetValue<string>();
        }

        Assert.Equal(api.Tokens.Select(t => t.Subject), subjects);
    }

    [Theory]
    [InlineData("/catalog/no-such-family", 404)]
    [InlineData("/catalog/Bad_Name", 400)]
    [InlineData("/catalog/rto-registration?limit=0", 400)]
    [InlineData("/catalog/rto-registration?limit=501", 400)]
    [InlineData("/catalog/rto-registration?cursor=garbage", 400)]
    public async Task BadRequests_Are4xxProblems(string path, int status)
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
