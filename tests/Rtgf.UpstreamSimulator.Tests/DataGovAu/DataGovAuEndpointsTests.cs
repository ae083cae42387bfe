using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.Cricos;
using Rtgf.UpstreamSimulator.DataGovAu;

namespace Rtgf.UpstreamSimulator.Tests.DataGovAu;

/// <summary>The simulated data.gov.au CKAN Action API: envelopes, the catalogue, search paging, scripted changes, drift.</summary>
public sealed class DataGovAuEndpointsTests : IAsyncLifetime
{
    private SimulatorServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await Simulators.SmallAsync();
        _http = Simulators.Client(_server);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PackageShow_Holidays_BySlugAndId_OneCsvAYear_WithoutHashes_UrlsUnderTheDatasetsDownloadPath()
    {
        var bySlug = await ShowAsync(DataGovAuCatalogue.HolidaysName);
        var byId = await ShowAsync(DataGovAuCatalogue.HolidaysId);

        Assert.Equal(bySlug.ToJsonString(), byId.ToJsonString());
        Assert.Equal(DataGovAuCatalogue.HolidaysId, (string)bySlug["id"]!);
        var resources = bySlug["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(
            ["australian_public_holidays_2019.csv", "australian-public-holidays-combined-2021-2025.csv", "australian_public_holidays_2024.csv", "australian_public_holidays_2025.csv", "australian_public_holidays_2026.csv"],
            resources.Select(r => (string)r["name"]!));
        Assert.All(resources, r =>
        {
            Assert.Equal(string.Empty, (string)r["hash"]!);
            Assert.Equal($"{_server.BaseAddress.AbsoluteUri.TrimEnd('/')}/data/dataset/{DataGovAuCatalogue.HolidaysId}/resource/{(string)r["id"]!}/download/{(string)r["name"]!}", (string)r["url"]!);
        });
        Assert.Null(resources[^1]["last_modified"]); // CKAN leaves it null for a file never replaced
    }

    [Fact]
    public async Task PackageShow_Cricos_StillServedFromTheWorld()
    {
        var cricos = await ShowAsync("cricos");

        Assert.Equal(CricosEndpoints.DatasetId, (string)cricos["id"]!);
        Assert.Equal(CricosEndpoints.ResourceId, (string)cricos["resources"]![0]!["id"]!);
        Assert.NotEqual(string.Empty, (string)cricos["resources"]![0]!["hash"]!);
    }

    [Theory]
    [InlineData("no-such-dataset", 404, "Not Found Error")]
    [InlineData("", 409, "Validation Error")]
    public async Task PackageShow_Refused_IsTheErrorEnvelopeWithItsStatus(string id, int status, string type)
    {
        using var response = await _http.GetAsync($"data/api/3/action/package_show?id={id}");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.False((bool)body["success"]!);
        Assert.Equal(type, (string)body["error"]!["__type"]!);
        Assert.EndsWith("help_show?name=package_show", (string)body["help"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageSearch_EveryWordMustMatch_PagesByRowsAndStart_OrderedByName()
    {
        var all = await SearchAsync("q=*:*&rows=1000");
        var pages = new List<string>();
        for (var start = 0; start < 10; start += 2)
        {
            pages.AddRange((await SearchAsync($"q=*:*&rows=2&start={start}"))["results"]!.AsArray().Select(r => (string)r!["name"]!));
        }

        Assert.Equal(6, (int)all["count"]!);
        Assert.Equal(all["results"]!.AsArray().Select(r => (string)r!["name"]!), pages);
        Assert.Equal(pages.Order(StringComparer.Ordinal), pages);
        Assert.Equal(["ncver-government-funded-students", "ncver-total-vet-students-and-courses"], Names(await SearchAsync("q=NCVER")));
        Assert.Equal(["ncver-government-funded-students", "ncver-total-vet-students-and-courses"], Names(await SearchAsync("q=vocational%20education%20and%20training")));
        Assert.Equal(["austender-contract-notice-export"], Names(await SearchAsync("q=AusTender")));
        Assert.Equal(["bom-monthly-rainfall"], Names(await SearchAsync("q=*:*&fq=organization:bom")));
    }

    [Fact]
    public async Task PackageSearch_BadRowsOrFilter_Is409WithTheEnvelope()
    {
        using var rows = await _http.GetAsync("data/api/3/action/package_search?q=x&rows=-1");
        using var filter = await _http.GetAsync("data/api/3/action/package_search?q=x&fq=res_format:CSV");

        Assert.Equal(HttpStatusCode.Conflict, rows.StatusCode);
        Assert.Equal("Validation Error", (string)JsonNode.Parse(await rows.Content.ReadAsStringAsync())!["error"]!["__type"]!);
        Assert.Equal(HttpStatusCode.Conflict, filter.StatusCode);
        Assert.Equal("Search Query Error", (string)JsonNode.Parse(await filter.Content.ReadAsStringAsync())!["error"]!["__type"]!);
    }

    [Fact]
    public async Task Scenarios_ResourceUpdated_Added_Withdrawn_ChangeWhatIsServed()
    {
        var students = await ShowAsync(DataGovAuCatalogue.NcverStudentsId);
        var funded = await ShowAsync(DataGovAuCatalogue.NcverFundedId);

        var updated = await ScenarioAsync("dataset-resource-updated");
        var students2 = await ShowAsync(DataGovAuCatalogue.NcverStudentsId);
        var funded2 = await ShowAsync(DataGovAuCatalogue.NcverFundedId);

        var resource = (string)updated["applied"]![0]!["resource"]!;
        var before = Resource(students, resource);
        var after = Resource(students2, resource);
        Assert.NotEqual((string)before["hash"]!, (string)after["hash"]!);
        Assert.NotEqual((string?)before["last_modified"], (string?)after["last_modified"]);
        Assert.Equal((string)updated["applied"]![0]!["at"]!, ((string)after["last_modified"]!)[..19] + "Z");
        var hashless = Resource(funded2, (string)updated["applied"]![1]!["resource"]!);
        Assert.Equal(string.Empty, (string)hashless["hash"]!);
        Assert.NotEqual((string?)Resource(funded, (string)hashless["id"]!)["last_modified"], (string?)hashless["last_modified"]);
        Assert.NotEqual((string)students["metadata_modified"]!, (string)students2["metadata_modified"]!);

        // dataset-resource-added is a new file in an NCVER dataset; holidays-new-year the next year's holidays CSV.
        var added = await ScenarioAsync("dataset-resource-added");
        var students3 = await ShowAsync(DataGovAuCatalogue.NcverStudentsId);
        Assert.Equal(DataGovAuCatalogue.NcverStudentsId, (string)added["applied"]![0]!["dataset"]!);
        Assert.Equal((string)added["applied"]![0]!["resource"]!, (string)students3["resources"]!.AsArray()[^1]!["id"]!);
        Assert.Equal(students2["resources"]!.AsArray().Count + 1, students3["resources"]!.AsArray().Count);
        var newYear = await ScenarioAsync("holidays-new-year");
        var holidays = await ShowAsync(DataGovAuCatalogue.HolidaysId);
        Assert.Equal("australian_public_holidays_2027.csv", (string)newYear["applied"]![0]!["name"]!);
        Assert.Equal((string)newYear["applied"]![0]!["resource"]!, (string)holidays["resources"]!.AsArray()[^1]!["id"]!);

        await ScenarioAsync("dataset-withdrawn");
        // Withdrawn is CKAN's soft delete: an anonymous package_show is refused with 403 Authorization Error, not 404.
        using var gone = await _http.GetAsync($"data/api/3/action/package_show?id={DataGovAuCatalogue.NcverFundedId}");
        Assert.Equal(HttpStatusCode.Forbidden, gone.StatusCode);
        var refusal = JsonNode.Parse(await gone.Content.ReadAsStringAsync())!;
        Assert.Equal((false, "Authorization Error"), ((bool)refusal["success"]!, (string)refusal["error"]!["__type"]!));
        Assert.Equal(["ncver-total-vet-students-and-courses"], Names(await SearchAsync("q=NCVER")));
    }

    [Fact]
    public async Task Drift_RenamesEachResourcesId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"data/api/3/action/package_show?id={DataGovAuCatalogue.HolidaysId}");
        request.Headers.Add("X-Sim-Fault", "drift");
        using var response = await _http.SendAsync(request);
        var resources = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["resources"]!.AsArray();

        Assert.All(resources, r =>
        {
            Assert.Null(r!["id"]);
            Assert.NotNull(r["resource_id"]);
        });
    }

    private static JsonObject Resource(JsonObject package, string id) =>
        package["resources"]!.AsArray().Single(r => (string)r!["id"]! == id)!.AsObject();

    private static List<string> Names(JsonObject result) => [.. result["results"]!.AsArray().Select(r => (string)r!["name"]!)];

    private async Task<JsonObject> ShowAsync(string id)
    {
        var body = JsonNode.Parse(await _http.GetStringAsync($"data/api/3/action/package_show?id={id}"))!;
        Assert.True((bool)body["success"]!);
        return body["result"]!.AsObject();
    }

    private async Task<JsonObject> SearchAsync(string query)
    {
        var body = JsonNode.Parse(await _http.GetStringAsync($"data/api/3/action/package_search?{query}"))!;
        Assert.True((bool)body["success"]!);
        return body["result"]!.AsObject();
    }

    private async Task<JsonObject> ScenarioAsync(string name)
    {
        using var response = await _http.PostAsJsonAsync($"_sim/scenarios/{name}", new JsonObject());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
