using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Rtgf.Testing;
using static Rtgf.UpstreamSimulator.Tests.TgaSoapClient;

namespace Rtgf.UpstreamSimulator.Tests.Faults;

public sealed class FaultMiddlewareTests
{
    private const string Xlsx = "sites/default/files/regulation8_consolidated.xlsx";

    private static async Task AddFaultAsync(HttpClient http, string json)
    {
        using var response = await http.PostAsync("_sim/faults", new StringContent(json));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TooManyRequests_OneShot_SendsRetryAfterThenClears()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        await AddFaultAsync(http, """{"routePrefix":"/api","mode":"429","count":2,"retryAfterSeconds":7}""");

        using var first = await http.GetAsync("api/metadata");
        using var second = await http.GetAsync("api/metadata");
        using var third = await http.GetAsync("api/metadata");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Empty(JsonNode.Parse(await http.GetStringAsync("_sim/faults"))!["faults"]!.AsArray());
    }

    [Fact]
    public async Task ServerErrorAndUnavailable_ApplyOnlyToTheirRoutePrefix()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        await AddFaultAsync(http, """{"routePrefix":"/data","mode":"500","count":1}""");
        await AddFaultAsync(http, """{"routePrefix":"/national-register","mode":"503","count":1}""");

        using var other = await http.GetAsync("api/metadata");
        using var cricos = await http.GetAsync("data/api/3/action/package_show?id=cricos");
        using var teqsa = await http.GetAsync("national-register");
        using var teqsaAgain = await http.GetAsync("national-register");

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, cricos.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, teqsa.StatusCode);
        Assert.NotNull(teqsa.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, teqsaAgain.StatusCode);
    }

    [Fact]
    public async Task Slow_WaitsForTheInjectedClock()
    {
        var time = new ManualTimeProvider(Simulators.Start);
        await using var server = await Simulators.SmallAsync(time);
        using var http = Simulators.Client(server);
        await AddFaultAsync(http, """{"routePrefix":"/api/metadata","mode":"slow","count":1,"delaySeconds":30}""");

        var pending = http.GetAsync("api/metadata");
        await Eventually.ProbeAsync(() => Task.FromResult(time.PendingTimers), n => n > 0, TimeSpan.FromSeconds(10), "the slow fault to start its delay");
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));
        using var response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Truncated_BodyEndsBeforeContentLength()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        await AddFaultAsync(http, """{"routePrefix":"/sites","mode":"truncated","count":1}""");

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetByteArrayAsync(Xlsx));
        Assert.NotEmpty(await http.GetByteArrayAsync(Xlsx));
    }

    [Fact]
    public async Task Malformed_SoapBodyIsNotXml_AndZipIsNotAZip()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        await AddFaultAsync(http, """{"routePrefix":"/Deewr.Tga","mode":"malformed","count":1}""");
        await AddFaultAsync(http, """{"routePrefix":"/sites","mode":"malformed","count":1}""");
        var soap = new TgaSoapClient(http);

        await Assert.ThrowsAsync<XmlException>(() => soap.CallAsync("ITrainingComponentService", "GetServerTime"));
        var xlsx = await http.GetByteArrayAsync(Xlsx);
        Assert.ThrowsAny<InvalidDataException>(() => new ZipArchive(new MemoryStream(xlsx)));
        var (status, _) = await soap.CallAsync("ITrainingComponentService", "GetServerTime");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task SchemaDrift_RenamesSoapElementsAndSpreadsheetColumns()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        await AddFaultAsync(http, """{"routePrefix":"/Deewr.Tga","mode":"drift","count":1}""");
        await AddFaultAsync(http, """{"routePrefix":"/sites","mode":"drift","count":1}""");
        var soap = new TgaSoapClient(http);

        var (_, drifted) = await soap.CallAsync("ITrainingComponentService", "Search", new XElement(T + "Filter", string.Empty), new XElement(T + "PageSize", 1));
        var summary = soap.Payload(drifted).Descendants(T + "TrainingComponentSummary").Single();
        XlsxReader.Rows(await http.GetByteArrayAsync(Xlsx), out var header);
        XlsxReader.Rows(await http.GetByteArrayAsync(Xlsx), out var normalHeader);

        Assert.Null(summary.Element(T + "Title"));
        Assert.NotNull(summary.Element(T + "Name"));
        Assert.NotNull(summary.Element(T + "UsageRecommendation"));
        Assert.Null(summary.Element(T + "UpdatedDate"));
        Assert.Contains("Name", header);
        Assert.DoesNotContain("Control Date", header);
        Assert.Contains("Control Date", normalHeader);
    }

    [Fact]
    public async Task SchemaDrift_CricosCoursesLoseTheirDocumentedKeyColumn()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var url = JsonNode.Parse(await http.GetStringAsync("data/api/3/action/package_show?id=cricos"))!["result"]!["resources"]![0]!["url"]!.GetValue<string>();
        await AddFaultAsync(http, """{"routePrefix":"/data/dataset","mode":"drift","count":1}""");

        var header = Cricos.CricosEndpointsTests.Csvs(await http.GetByteArrayAsync(url))["CRICOS Courses.csv"][0].Split(',');

        Assert.DoesNotContain("CRICOS Course Code", header);
        Assert.Contains("Course Code", header);
        Assert.DoesNotContain("Expired", header);
    }

    [Fact]
    public async Task Header_FaultsOneRequest_AndBadModeIs400()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var faulted = new HttpRequestMessage(HttpMethod.Get, "api/metadata") { Headers = { { "X-Sim-Fault", "503" } } };
        using var bad = new HttpRequestMessage(HttpMethod.Get, "api/metadata") { Headers = { { "X-Sim-Fault", "explode" } } };
        using var faultedResponse = await http.SendAsync(faulted);
        using var badResponse = await http.SendAsync(bad);
        using var badRule = await http.PostAsync("_sim/faults", new StringContent("""{"mode":"explode"}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faultedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badResponse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRule.StatusCode);
    }

    [Fact]
    public async Task StandingFault_StaysUntilDeleted()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        await AddFaultAsync(http, """{"mode":"500"}""");

        using var first = await http.GetAsync("api/metadata");
        using var second = await http.GetAsync("national-register");
        using var status = await http.GetAsync("_sim/status");
        using var cleared = await http.DeleteAsync("_sim/faults");
        using var after = await http.GetAsync("api/metadata");

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
