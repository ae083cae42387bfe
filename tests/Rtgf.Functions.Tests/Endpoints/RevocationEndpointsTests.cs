using System.Net;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

public sealed class RevocationEndpointsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task StatusList_IsTheSignedTokenWithETagAnd304()
    {
        using var client = api.CreateClient();
        var path = "/revocations/status-lists/" + ApiFixture.Family + "/0";

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var second = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/statuslist+jwt", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((await api.Revocations.GetStatusListAsync(ApiFixture.Family + "/0"))!.Jwt, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Revocations_SinceAnEpoch_ListTheChanges()
    {
        using var client = api.CreateClient();
        await api.Revocations.RevokeAsync(api.Tokens[3].TokenId, "CRICOS: provider suspended");

        var all = await (await client.GetAsync(new Uri("/revocations?since=0", UriKind.Relative))).ReadObjectAsync();
        var none = await (await client.GetAsync(new Uri("/revocations?since=" + all["epoch"]!.GetValue<long>(), UriKind.Relative))).ReadObjectAsync();

        var change = Assert.Single(all["changes"]!.AsArray());
        Assert.Equal("CRICOS: provider suspended", change!["reason"]!.GetValue<string>());
        Assert.Empty(none["changes"]!.AsArray());
        Assert.Single(all["statusLists"]!.AsArray());
    }

    [Theory]
    [InlineData("/revocations?since=-1", 400)]
    [InlineData("/revocations?since=1e3", 400)]
    [InlineData("/revocations?limit=0", 400)]
    [InlineData("/revocations/status-lists/rto-registration/9", 404)]
    [InlineData("/revocations/status-lists/rto-registration/x", 400)]
    [InlineData("/revocations/status-lists/BAD/0", 400)]
    public async Task BadRequests_Are4xxProblems(string path, int status)
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
