using Microsoft.AspNetCore.Http;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Ingestion.Tga;

namespace Rtgf.Ingestion.Tests.Tga;

public sealed class TgaRestClientTests
{
    [Fact]
    public async Task GetOrganisationScope_TwoPages_PagesByOffsetAndNormalises()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => Json(c, n == 1
            ? """{"value":[{"code":"BSB40120","title":"Certificate IV in Business","componentType":"qualification","extent":"01","extentLabel":"Deliver and assess","isImplicit":false,"status":"current","startDate":"2021-03-01T00:00:00","endDate":null,"deliveryNsw":true}],"count":2}"""
            : """{"value":[{"code":"BSBCRT411","componentType":"unit","extent":"02","isImplicit":true,"status":"current","startDate":"2019-03-01","endDate":"2024-01-01"}],"count":2}"""));
        using var connector = new Connector(server);

        var scope = await new TgaRestClient(connector.Http, pageSize: 1).GetOrganisationScopeAsync("90001");

        Assert.Equal(["scope:90001:BSB40120", "scope:90001:BSBCRT411"], scope.Select(s => s.Key));
        Assert.Equal(new DateOnly(2021, 3, 1), scope[0].StartDate);
        Assert.True(scope[1].IsImplicit);
        Assert.Equal(["qualification"], scope[0].ComponentTypes);
        Assert.StartsWith("/api/organisation/90001/scope?api-version=1.0&offset=0&pageSize=1", server.Received[0].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("offset=1", server.Received[1].PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchTraining_CountAndData_ReadsItems()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Json(c, """{"count":1,"data":[{"code":"BSB40120","title":"Certificate IV in Business","type":{"id":"qualification","name":"Qualification"},"status":{"id":"current","isCurrent":true,"name":"Current"},"usageRecommendation":{"name":"Current","startDate":"2020-06-02"}}]}"""));
        using var connector = new Connector(server);

        var items = await new TgaRestClient(connector.Http).SearchTrainingAsync("business");

        var item = Assert.Single(items);
        Assert.Equal("BSB40120", item.Code);
        Assert.True(item.IsCurrent);
        Assert.Equal(["qualification"], item.ComponentTypes);
        Assert.Contains("searchText=business", server.Received[0].PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOrganisationScope_DriftedShape_ThrowsNamingTheMissingMembers()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Json(c, """{"items":[],"total":0}"""));
        using var connector = new Connector(server);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => new TgaRestClient(connector.Http).GetOrganisationScopeAsync("90001"));

        Assert.Contains("'value'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetadata_TruncatedJson_ThrowsFormatError()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Json(c, """{"dataExportSynchronisationDateTime":"2025-06-0"""));
        using var connector = new Connector(server);

        await Assert.ThrowsAsync<UpstreamFormatException>(() => new TgaRestClient(connector.Http).GetMetadataAsync());
    }

    [Fact]
    public async Task GetMetadata_Valid_ReadsTheSyncTime()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Json(c, """{"dataExportSynchronisationDateTime":"2025-06-03T01:22:10","informationalVersion":"1.2.3+abc","version":"1.2"}"""));
        using var connector = new Connector(server);

        var metadata = await new TgaRestClient(connector.Http).GetMetadataAsync();

        Assert.Equal("2025-06-03T01:22:10", metadata.DataExportSynchronisationDateTime);
        Assert.Equal("1.2", metadata.Version);
    }

    private static Task Json(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }
}
