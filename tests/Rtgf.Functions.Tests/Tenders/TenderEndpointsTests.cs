using System.Net;
using Rtgf.Functions.Tests.Endpoints;

namespace Rtgf.Functions.Tests.Tenders;

/// <summary><c>/v1/contracts</c> and <c>/v1/tenders</c> through the real app over the tender-sync tables in Azurite.</summary>
public sealed class TenderEndpointsTests(TenderFixture app) : IClassFixture<TenderFixture>
{
    [Theory]
    [InlineData("/v1/contracts", "CN1000001,CN1000002,CN1000003")]
    [InlineData("/v1/contracts?rto=90001", "CN1000001")]
    [InlineData("/v1/contracts?category=86", "CN1000001,CN1000003")]
    [InlineData("/v1/contracts?category=8610", "CN1000001")]
    [InlineData("/v1/contracts?from=2025-06-02&to=2025-06-15", "CN1000002")]
    [InlineData("/v1/contracts?from=2025-07-01", "CN1000003")]
    [InlineData("/v1/contracts?category=86&to=2025-06-30", "CN1000001")]
    [InlineData("/v1/tenders", "ATM2025-01,ATM2025-02")]
    [InlineData("/v1/tenders?category=8613", "ATM2025-02")]
    [InlineData("/v1/tenders?to=2025-06-10", "ATM2025-01")]
    public async Task List_FiltersAndOrdersById(string path, string expected)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        var ids = body["items"]!.AsArray().Select(i => (string)(i!["contractId"] ?? i["atmId"])!).ToList();
        Assert.Equal(expected.Split(','), ids);
        Assert.Equal(ids.Count, (int)body["total"]!);
        Assert.Null(body["nextCursor"]);
    }

    [Fact]
    public async Task List_PagesWithTheContinuationCursor()
    {
        using var client = app.CreateClient();

        var first = await (await client.GetAsync("/v1/contracts?limit=2&from=2025-01-01")).ReadObjectAsync();
        Assert.Equal(["CN1000001", "CN1000002"], first["items"]!.AsArray().Select(i => (string)i!["contractId"]!));
        Assert.Equal(3, (int)first["total"]!);
        var next = (string)first["next"]!;
        Assert.Contains("from=2025-01-01", next, StringComparison.Ordinal);

        var second = await (await client.GetAsync(next)).ReadObjectAsync();
        Assert.Equal(["CN1000003"], second["items"]!.AsArray().Select(i => (string)i!["contractId"]!));
        Assert.Null(second["nextCursor"]);
    }

    [Fact]
    public async Task GetContract_TheSeamsMembers()
    {
        using var client = app.CreateClient();

        var contract = await (await client.GetAsync("/v1/contracts/CN1000001")).ReadObjectAsync();

        Assert.Equal("148500", (string)contract["value"]!);
        Assert.Equal(["90001"], contract["rtoCodes"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("12345678901", (string)contract["suppliers"]![0]!["abn"]!);
        Assert.Equal("prod-CN1000001-1", (string)contract["amendments"]![0]!["releaseId"]!);
        Assert.Equal("2025-06-01T03:00:00Z", (string)contract["lastModified"]!);
    }

    [Fact]
    public async Task GetTender_ByAtmId()
    {
        using var client = app.CreateClient();

        var tender = await (await client.GetAsync("/v1/tenders/ATM2025-02")).ReadObjectAsync();

        Assert.Equal("Educational facilities", (string)tender["title"]!);
        Assert.Equal("2025-07-20T04:00:00Z", (string)tender["closeDate"]!);
    }

    [Theory]
    [InlineData("/v1/contracts/CN9999999", HttpStatusCode.NotFound)]
    [InlineData("/v1/tenders/ATM-none", HttpStatusCode.NotFound)]
    [InlineData("/v1/contracts/CN%3Cscript%3E", HttpStatusCode.BadRequest)]
    [InlineData("/v1/contracts?category=8", HttpStatusCode.BadRequest)]
    [InlineData("/v1/contracts?category=86x", HttpStatusCode.BadRequest)]
    [InlineData("/v1/contracts?rto=9000!", HttpStatusCode.BadRequest)]
    [InlineData("/v1/contracts?from=2025-13-01", HttpStatusCode.BadRequest)]
    [InlineData("/v1/contracts?from=2025-07-01&to=2025-06-01", HttpStatusCode.BadRequest)]
    [InlineData("/v1/contracts?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/v1/contracts?cursor=not-ours", HttpStatusCode.BadRequest)]
    [InlineData("/v1/tenders?rto=90001", HttpStatusCode.BadRequest)]
    [InlineData("/v1/tenders?to=yesterday", HttpStatusCode.BadRequest)]
    public async Task BadInput_ProblemDetailsNeverA500(string path, HttpStatusCode expected)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull((await response.ReadObjectAsync())["detail"]);
        }
    }
}

/// <summary>Before any tender-sync the lists are empty pages, not errors.</summary>
public sealed class TenderEndpointsEmptyTests(EmptyTenderFixture app) : IClassFixture<EmptyTenderFixture>
{
    [Theory]
    [InlineData("/v1/contracts")]
    [InlineData("/v1/tenders?category=86")]
    public async Task BeforeAnySync_EmptyPage(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal(0, (int)body["total"]!);
        Assert.Empty(body["items"]!.AsArray());
    }
}
