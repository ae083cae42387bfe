using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>A relying party syncing the revocation feed past an epoch larger than a page, over Azurite (docs/spec/api.md).</summary>
public sealed class RevocationFeedTests(RevocationFeedFixture feed) : IClassFixture<RevocationFeedFixture>
{
    [Fact]
    public void Fixture_OneEpochRevokesMoreThanTheLargestPage()
    {
        Assert.Equal([1L, 2L, 3L], feed.Expected.Select(r => r.Epoch).Distinct());
        Assert.Equal(RevocationFeedFixture.EpochSize, feed.Expected.Count(r => r.Epoch == 2));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(97)]
    public async Task Changes_PagedToTheEnd_AreEveryRevocationOnceInFeedOrder(int limit)
    {
        using var client = feed.CreateClient();
        var seen = new List<(long Epoch, string TokenId)>();
        var next = "/revocations?since=0&limit=" + limit.ToString(CultureInfo.InvariantCulture);
        var pages = 0;
        while (next is not null && pages++ < 6_000)
        {
            var page = await GetAsync(client, next);
            var changes = page["changes"]!.AsArray();
            Assert.InRange(changes.Count, 1, limit);
            seen.AddRange(changes.Select(c => (c!["epoch"]!.GetValue<long>(), c["tokenId"]!.GetValue<string>())));
            next = page["next"]?.GetValue<string>();
            Assert.Equal(next is null, page["nextCursor"] is null);
        }

        Assert.Equal(feed.Expected.Select(r => (r.Epoch, r.TokenId)), seen);
    }

    [Fact]
    public async Task Changes_SinceTheLargeEpoch_StartAfterIt()
    {
        using var client = feed.CreateClient();

        var page = await GetAsync(client, "/revocations?since=2&limit=1000");

        Assert.Equal(feed.Expected[^1].TokenId, Assert.Single(page["changes"]!.AsArray())!["tokenId"]!.GetValue<string>());
        Assert.Null(page["nextCursor"]);
        Assert.Equal(3, page["epoch"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("/revocations?cursor=1.0000000000000000000000000000000000000000000000000000000000000000")] // a cursor needs since
    [InlineData("/revocations?since=0&cursor=x")]
    [InlineData("/revocations?since=0&cursor=1.abc")]
    [InlineData("/revocations?since=0&cursor=.0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("/revocations?since=2&cursor=2.0000000000000000000000000000000000000000000000000000000000000000")] // not after since
    [InlineData("/revocations?since=0&limit=1001")]
    public async Task Changes_BadCursorOrLimit_Is400Problem(string path)
    {
        using var client = feed.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, path + " answered " + (int)response.StatusCode + ": " + await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }
}
