using System.Net;
using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.Abs;

namespace Rtgf.UpstreamSimulator.Tests.Abs;

public sealed class AbsEndpointsTests
{
    private const string Json = "application/vnd.sdmx.data+json;version=1.0.0-wd";

    [Fact]
    public async Task Data_PlusJoinedKey_ServesOneSeriesPerCombination_WithLabelsAndUnits()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var data = await GetAsync(http, "rest/data/ABS,LF,1.0.0/M3+M13.3.1599.20.1+AUS.M?startPeriod=2025-01&endPeriod=2025-03");

        var structure = data["structure"]!;
        var dimensions = structure["dimensions"]!["series"]!.AsArray();
        Assert.Equal(["MEASURE", "SEX", "AGE", "TSEST", "REGION", "FREQ"], dimensions.Select(d => (string)d!["id"]!));
        Assert.Equal(["M3", "M13"], dimensions[0]!["values"]!.AsArray().Select(v => (string)v!["id"]!));
        Assert.Equal(["New South Wales", "Australia"], dimensions[4]!["values"]!.AsArray().Select(v => (string)v!["name"]!));
        var time = Assert.Single(structure["dimensions"]!["observation"]!.AsArray())!;
        Assert.Equal("TIME_PERIOD", (string)time["id"]!);
        Assert.Equal(["2025-01", "2025-02", "2025-03"], time["values"]!.AsArray().Select(v => (string)v!["id"]!));
        var series = data["dataSets"]![0]!["series"]!.AsObject();
        Assert.Equal(["0:0:0:0:0:0", "0:0:0:0:1:0", "1:0:0:0:0:0", "1:0:0:0:1:0"], series.Select(s => s.Key));
        var units = structure["attributes"]!["series"]![0]!["values"]!.AsArray().Select(v => (string)v!["id"]!).ToList();
        Assert.Equal("NUM", units[(int)series["0:0:0:0:0:0"]!["attributes"]![0]!]);
        Assert.Equal("PCT", units[(int)series["1:0:0:0:0:0"]!["attributes"]![0]!]);
        var rate = series["1:0:0:0:0:0"]!["observations"]!.AsObject();
        Assert.Equal(["0", "1", "2"], rate.Select(o => o.Key));
        Assert.All(rate, o => Assert.InRange((decimal)o.Value![0]!, 2m, 9m));
    }

    [Fact]
    public async Task Data_IsDeterministic_AndWildcardsSelectEveryRegion()
    {
        await using var first = await Simulators.SmallAsync();
        await using var second = await Simulators.SmallAsync();
        using var a = Simulators.Client(first);
        using var b = Simulators.Client(second);

        var one = await GetAsync(a, "rest/data/ERP_Q/1.3.TOT..Q?startPeriod=2020");
        var two = await GetAsync(b, "rest/data/ERP_Q/1.3.TOT..Q?startPeriod=2020");

        Assert.Equal(one["dataSets"]!.ToJsonString(), two["dataSets"]!.ToJsonString());
        Assert.Equal(9, one["dataSets"]![0]!["series"]!.AsObject().Count);
        Assert.Equal("2020-Q1", (string)one["structure"]!["dimensions"]!["observation"]![0]!["values"]![0]!["id"]!);
    }

    [Fact]
    public async Task Data_FormatJsondata_ReplacesTheAcceptHeader_AndOtherTypesAre406ListingTheAcceptedOnes()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var byFormat = await http.GetAsync("rest/data/LF/M13.3.1599.20.1.M?startPeriod=2025&format=jsondata");
        using var xml = new HttpRequestMessage(HttpMethod.Get, "rest/data/LF/M13.3.1599.20.1.M?startPeriod=2025");
        xml.Headers.Accept.ParseAdd("application/vnd.sdmx.structurespecificdata+xml;version=2.1");
        using var refused = await http.SendAsync(xml);

        Assert.Equal(HttpStatusCode.OK, byFormat.StatusCode);
        Assert.Equal(AbsEndpoints.JsonMediaType, byFormat.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotAcceptable, refused.StatusCode);
        Assert.Contains("application/vnd.sdmx.data+json;version=1.0.0-wd", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_EmptySelection_Is404NoRecordsFound_BadKeyIs400_PostIs405()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var future = await SendAsync(http, "rest/data/LF/M13.3.1599.20.1.M?startPeriod=2031-01");
        using var unknownCode = await SendAsync(http, "rest/data/LF/M99.3.1599.20.1.M");
        using var shortKey = await SendAsync(http, "rest/data/LF/M13.3.M");
        using var post = await http.PostAsync("rest/data/LF/M13.3.1599.20.1.M", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, future.StatusCode);
        Assert.Equal("NoRecordsFound", await future.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknownCode.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, shortKey.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Contains("GET", post.Content.Headers.Allow);
    }

    [Fact]
    public async Task SeriesCorrection_RevisesTheLastMonthsWithStatusR_AndAddsAMonth()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        const string Path = "rest/data/ABS,LF,1.0.0/M13.3.1599.20.1.M?startPeriod=2024";
        var before = await GetAsync(http, Path);

        using var response = await http.PostAsync("_sim/scenarios/abs-series-correction", null);
        var applied = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["applied"]!.AsArray();
        var after = await GetAsync(http, Path);

        var corrected = applied[0]!["periods"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Equal(3, corrected.Count);
        var periodsBefore = Periods(before);
        var periodsAfter = Periods(after);
        Assert.Equal(periodsBefore.Count + 1, periodsAfter.Count);
        Assert.Equal((string)applied[1]!["period"]!, periodsAfter[^1]);
        var statuses = after["structure"]!["attributes"]!["observation"]![0]!["values"]!.AsArray().Select(v => (string)v!["id"]!).ToList();
        var oldObservations = before["dataSets"]![0]!["series"]!["0:0:0:0:0:0"]!["observations"]!.AsObject();
        var newObservations = after["dataSets"]![0]!["series"]!["0:0:0:0:0:0"]!["observations"]!.AsObject();
        for (var i = 0; i < periodsBefore.Count; i++)
        {
            var old = oldObservations[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]!.AsArray();
            var now = newObservations[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]!.AsArray();
            if (corrected.Contains(periodsBefore[i]))
            {
                Assert.Equal((decimal)old[0]! + 0.2m, (decimal)now[0]!);
                Assert.Equal("r", statuses[(int)now[1]!]);
            }
            else
            {
                Assert.Equal((decimal)old[0]!, (decimal)now[0]!);
                Assert.Null(now[1]);
            }
        }
    }

    [Fact]
    public async Task SeriesWithdrawn_LeftOutOfAPlusListAnswer_TheOtherRegionsStay()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        const string Path = "rest/data/ABS,ERP_Q,1.0.0/1.3.TOT.6+7+8.Q?startPeriod=2024";
        var before = await GetAsync(http, Path);

        using var response = await http.PostAsync("_sim/scenarios/abs-series-withdrawn", null);
        var applied = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["applied"]![0]!;
        var after = await GetAsync(http, Path);

        Assert.Equal(("withdrawAbsSeries", "ERP_Q", "1.3.TOT.7.Q"), ((string)applied["kind"]!, (string)applied["dataflow"]!, (string)applied["key"]!));
        Assert.Equal(["0:0:0:0:0", "0:0:0:1:0", "0:0:0:2:0"], before["dataSets"]![0]!["series"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["0:0:0:0:0", "0:0:0:2:0"], after["dataSets"]![0]!["series"]!.AsObject().Select(p => p.Key)); // region 7 is index 1
    }

    [Fact]
    public async Task SchemaDrift_RenamesTheTimeDimension_MalformedCutsTheJson()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var drifted = await SendAsync(http, "rest/data/LF/M13.3.1599.20.1.M?startPeriod=2025", "drift");
        using var malformed = await SendAsync(http, "rest/data/LF/M13.3.1599.20.1.M?startPeriod=2025", "malformed");

        Assert.Equal("TIME", (string)JsonNode.Parse(await drifted.Content.ReadAsStringAsync())!["data"]!["structure"]!["dimensions"]!["observation"]![0]!["id"]!);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(malformed.Content.ReadAsStringAsync().GetAwaiter().GetResult()));
    }

    private static List<string> Periods(JsonNode data) =>
        [.. data["structure"]!["dimensions"]!["observation"]![0]!["values"]!.AsArray().Select(v => (string)v!["id"]!)];

    private static async Task<JsonNode> GetAsync(HttpClient http, string path)
    {
        using var response = await SendAsync(http, path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["data"]!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string? fault = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(Json);
        if (fault is not null)
        {
            request.Headers.Add("X-Sim-Fault", fault);
        }

        return http.SendAsync(request);
    }
}
