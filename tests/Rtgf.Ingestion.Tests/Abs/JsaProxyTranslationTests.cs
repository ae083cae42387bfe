using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Tests.Abs;

/// <summary>jsa-proxy as a contract translation: the POST the ABS client speaks becomes the GET the SDMX API answers.</summary>
public sealed class JsaProxyTranslationTests : IAsyncLifetime
{
    private AbsSimulator _abs = null!;

    public async Task InitializeAsync() => _abs = await AbsSimulator.StartAsync();

    public async Task DisposeAsync() => await _abs.DisposeAsync();

    [Fact]
    public async Task ProxyPost_UpstreamAnswers405_TranslatedItIsTheGet_AndTheLogNamesTheGetUrl()
    {
        var query = new JsaProxyQuery(AbsSimulator.LabourForce, "M13.3.1599.20.1.M", StartPeriod: "2025-01", EndPeriod: "2025-03", DimensionAtObservation: "TIME_PERIOD");

        using var asIs = query.ToRequest();
        using var refused = await _abs.Untranslated.SendAsync(asIs);
        using var translated = query.ToRequest();
        using var answered = await _abs.Translated.SendAsync(translated);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(HttpMethod.Get, translated.Method);
        Assert.Null(translated.Content);
        const string Get = "/rest/data/ABS,LF,1.0.0/M13.3.1599.20.1.M?startPeriod=2025-01&endPeriod=2025-03&dimensionAtObservation=TIME_PERIOD";
        Assert.Equal(Get, translated.RequestUri!.PathAndQuery);
        Assert.Equal("application/vnd.sdmx.data+json", Assert.Single(translated.Headers.Accept).MediaType);
        var periods = JsonNode.Parse(await answered.Content.ReadAsStringAsync())!["data"]!["structure"]!["dimensions"]!["observation"]![0]!["values"]!.AsArray();
        Assert.Equal(["2025-01", "2025-02", "2025-03"], periods.Select(p => (string)p!["id"]!));
        Assert.Equal(["POST /rest/data", "GET " + Get], _abs.Operations);
    }

    [Fact]
    public async Task CsvFormat_IsTranslatedToItsAcceptType_WhichTheUpstreamRefusesWith406()
    {
        using var request = new JsaProxyQuery(AbsSimulator.LabourForce, "M13.3.1599.20.1.M", Format: "csvfilewithlabels").ToRequest();

        using var response = await _abs.Translated.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("application/vnd.sdmx.data+csv;file=true;labels=both", Assert.Single(request.Headers.Accept).ToString().Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("application/vnd.sdmx.data+json;version=1.0.0-wd", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0"}""", "'key' is required")]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0","key":"M13/../../_sim/faults"}""", "'key' is 'M13/../../_sim/faults'")]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0","key":".."}""", "'key' is '..'")]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0","key":"."}""", "'key' is '.'")]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0","key":"..."}""", "'key' is '...'")]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0","key":"all","startPeriod":"last year"}""", "'startPeriod' is 'last year'")]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0","key":"all","format":"xlsx"}""", "'format' is 'xlsx'")]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0","key":"all","updatedAfter":"2025-01-01"}""", "unknown member 'updatedAfter'")]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0","key":7}""", "'key' must be a string")]
    [InlineData("""["ABS,LF,1.0.0"]""", "not a JSON object")]
    [InlineData("""{"dataflow":"ABS,LF""", "not JSON")]
    public async Task UnmappableBody_IsAClearError_AndNothingReachesTheUpstream(string body, string reason)
    {
        await _abs.Sim.FaultAsync("/rest/data", "500", count: 1); // consumed by the first request that arrives
        using var request = new HttpRequestMessage(HttpMethod.Post, JsaProxyTranslation.Endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        var error = await Assert.ThrowsAsync<ContractTranslationException>(() => _abs.Translated.SendAsync(request));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await _abs.Sim.FaultsLeftAsync());
        Assert.Empty(_abs.Operations);
    }

    [Fact]
    public async Task OtherRequests_PassUnchanged()
    {
        using var response = await _abs.Translated.GetAsync("rest/data/ERP_Q/1.3.TOT.AUS.Q?startPeriod=2024&format=jsondata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["GET /rest/data/ERP_Q/1.3.TOT.AUS.Q"], _abs.Operations);
    }

    [Theory]
    [InlineData("jsondata", "application/vnd.sdmx.data+json;version=1.0.0-wd")]
    [InlineData("csvfile", "application/vnd.sdmx.data+csv;file=true")]
    [InlineData("structurespecificdata", "application/vnd.sdmx.structurespecificdata+xml;version=2.1")]
    public void Translate_MapsEachFormatToItsAcceptType_AndKeepsPlusAndCommasInThePath(string format, string accept)
    {
        var body = new JsaProxyQuery("ABS,ERP_Q,1.0.0", "1.3.TOT.1+2+AUS.Q", StartPeriod: "2015", Detail: "dataonly", Format: format).ToJson();

        var (url, type) = JsaProxyTranslation.Translate(new Uri("https://data.api.abs.gov.au/rest/data"), body);

        Assert.Equal("https://data.api.abs.gov.au/rest/data/ABS,ERP_Q,1.0.0/1.3.TOT.1+2+AUS.Q?startPeriod=2015&detail=dataonly", url.AbsoluteUri);
        Assert.Equal(accept, type);
    }
}
