using System.Net;
using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Tests.Tga;

public sealed class TgaRestEndpointsTests
{
    private static async Task<JsonObject> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task SearchTraining_PagedByOffset_ReturnsCountAndDataCoveringAll()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var codes = new List<string>();
        int count;
        var offset = 0;
        do
        {
            var page = await GetJsonAsync(http, $"api/search/training?searchText=&pageSize=10&offset={offset}&includeTotalCount=true");
            count = page["count"]!.GetValue<int>();
            codes.AddRange(page["data"]!.AsArray().Select(d => d!["code"]!.GetValue<string>()));
            offset += 10;
        }
        while (offset < count);

        Assert.Equal(server.World.Components.Where(c => c.Usage != UsageState.Deleted).Select(c => c.Code).Order(StringComparer.Ordinal), codes);
        var first = (await GetJsonAsync(http, "api/search/training?pageSize=1&filter=type eq 'qualification'"))["data"]![0]!;
        Assert.Equal("qualification", first["type"]!["id"]!.GetValue<string>());
        Assert.NotNull(first["qualificationLevel"]!["code"]);
        Assert.NotNull(first["usageRecommendation"]!["startDate"]);
    }

    [Fact]
    public async Task SearchTraining_PipeInFilter_Is500()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.GetAsync("api/search/training?filter=type eq 'unit'|type eq 'qualification'");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task OrganisationScope_FilteredCurrentQualifications_ReturnsValueAndCount()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var world = server.World;
        var rto = world.Rtos.First(r => r.Deleted is null && r.ScopeCount > 3);

        var all = await GetJsonAsync(http, $"api/organisation/{rto.Code}/scope?offset=0&pageSize=500");
        var filtered = await GetJsonAsync(http, $"api/organisation/{rto.Code}/scope?offset=0&pageSize=500&filters=componentType==qualification;status==current&sorts=code");

        Assert.Equal(rto.ScopeCount, all["count"]!.GetValue<int>());
        Assert.Equal(rto.ScopeCount, all["value"]!.AsArray().Count);
        var item = all["value"]![0]!.AsObject();
        Assert.Equal(
            ["code", "title", "componentType", "componentTypeLabel", "nrtId", "extent", "extentLabel", "isImplicit", "status", "statusLabel", "startDate", "endDate",
             "deliveryNsw", "deliveryVic", "deliveryQld", "deliverySa", "deliveryWa", "deliveryTas", "deliveryNt", "deliveryAct", "deliveryInternational"],
            item.Select(p => p.Key));
        Assert.All(filtered["value"]!.AsArray(), v =>
        {
            Assert.Equal("qualification", v!["componentType"]!.GetValue<string>());
            Assert.Equal("current", v["status"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task OrganisationDetail_ReturnsLegalNamesWithAbns_And404ForUnknown()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var rto = server.World.Rtos.First(r => r.Deleted is null);

        var detail = await GetJsonAsync(http, $"api/organisation/{rto.Code}?include=all");
        using var missing = await http.GetAsync("api/organisation/00000?include=all");

        Assert.Equal(rto.Abn, detail["legalNames"]![0]!["abns"]![0]!.GetValue<string>());
        Assert.Equal(rto.TradingName, detail["tradingNames"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Metadata_ReportsTheSimulatedClock()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var metadata = await GetJsonAsync(http, "api/metadata");

        Assert.Equal("2025-07-01T00:00:00Z", metadata["dataExportSynchronisationDateTime"]!.GetValue<string>());
    }
}
