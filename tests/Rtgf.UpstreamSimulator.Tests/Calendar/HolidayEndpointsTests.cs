using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.DataGovAu;

namespace Rtgf.UpstreamSimulator.Tests.Calendar;

public sealed class HolidayEndpointsTests
{
    private static async Task<JsonArray> ResourcesAsync(HttpClient http, string id = DataGovAuCatalogue.HolidaysId)
    {
        var package = JsonNode.Parse(await http.GetStringAsync($"data/api/3/action/package_show?id={id}"))!;
        Assert.True((bool)package["success"]!);
        return package["result"]!["resources"]!.AsArray();
    }

    private static string Url(JsonArray resources, int year) =>
        (string)resources.Single(r => ((string)r!["url"]!).EndsWith($"/australian_public_holidays_{year}.csv", StringComparison.Ordinal))!["url"]!;

    private static async Task<string[]> LinesAsync(HttpClient http, string url) =>
        Encoding.UTF8.GetString(await http.GetByteArrayAsync(new Uri(url).PathAndQuery.TrimStart('/'))).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task PackageShow_ListsAFilePerYearAndTheCombinedFile_WithStableIds_CricosStillAnswers()
    {
        await using var server = await Simulators.SmallAsync();
        await using var again = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        using var other = Simulators.Client(again);

        var resources = await ResourcesAsync(http);
        var bySlug = await ResourcesAsync(http, DataGovAuCatalogue.HolidaysName);
        var cricos = JsonNode.Parse(await http.GetStringAsync("data/api/3/action/package_show?id=cricos"))!;

        var files = resources.Select(r => ((string)r!["url"]!)[((string)r["url"]!).LastIndexOf('/')..]).ToList();
        Assert.Equal(
            ["/australian_public_holidays_2019.csv", "/australian-public-holidays-combined-2021-2025.csv", "/australian_public_holidays_2024.csv", "/australian_public_holidays_2025.csv", "/australian_public_holidays_2026.csv"],
            files);
        Assert.Equal(resources.Select(r => (string)r!["id"]!), (await ResourcesAsync(other)).Select(r => (string)r!["id"]!));
        Assert.Equal(resources.ToJsonString(), bySlug.ToJsonString());
        Assert.StartsWith(server.BaseAddress.AbsoluteUri + "data/dataset/" + DataGovAuCatalogue.HolidaysId + "/resource/", Url(resources, 2025), StringComparison.Ordinal);
        Assert.Equal("cricos", (string)cricos["result"]!["name"]!);
    }

    [Fact]
    public async Task EveryYearFileTheCatalogueLists_IsServed_LastModifiedIsTheResources_TheCombinedFileIsNot()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var resources = await ResourcesAsync(http);

        foreach (var resource in resources.Select(r => r!.AsObject()))
        {
            using var response = await http.GetAsync(new Uri((string)resource["url"]!).PathAndQuery.TrimStart('/'));
            if ((string)resource["id"]! == DataGovAuCatalogue.HolidaysCombinedResourceId)
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                continue;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var modified = DateTimeOffset.Parse(((string?)resource["last_modified"] ?? (string)resource["created"]!) + "Z", CultureInfo.InvariantCulture);
            Assert.Equal(modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond)), response.Content.Headers.LastModified);
        }
    }

    [Fact]
    public async Task YearFile_HasTheRealNationalHolidays_OneRowPerState_InTheCurrentLayout()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var resources = await ResourcesAsync(http);

        var lines = await LinesAsync(http, Url(resources, 2025));
        var next = await LinesAsync(http, Url(resources, 2026));

        Assert.Equal("Date,Holiday Name,Information,More Information,Jurisdiction", lines[0]);
        Assert.Equal(8, lines.Count(l => l.StartsWith("20250127,Australia Day,", StringComparison.Ordinal)));
        Assert.Equal(8, lines.Count(l => l.StartsWith("20250418,Good Friday,", StringComparison.Ordinal)));
        Assert.Equal(8, lines.Count(l => l.StartsWith("20250421,Easter Monday,", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("20250609,King's Birthday,", StringComparison.Ordinal) && l.EndsWith(",nsw", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("20251006,King's Birthday,", StringComparison.Ordinal) && l.EndsWith(",qld", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("20250929,King's Birthday,", StringComparison.Ordinal) && l.EndsWith(",wa", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains(",Royal Show Day,", StringComparison.Ordinal));
        Assert.Equal(8, next.Count(l => l.StartsWith("20260403,Good Friday,", StringComparison.Ordinal)));
        Assert.Equal(8, next.Count(l => l.StartsWith("20260126,Australia Day,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task OldYear_HasRawDateAndApplicableTo_NationalHolidaysAsOneNatRow_AndTheEarliestCurrentYearIsUpperCase()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var resources = await ResourcesAsync(http);

        var old = await LinesAsync(http, Url(resources, 2019));
        var upper = await LinesAsync(http, Url(resources, 2024));

        Assert.Equal("Date,Raw Date,Holiday Name,Information,More Information,Applicable To", old[0]);
        Assert.Single(old, l => l.StartsWith("20190101,", StringComparison.Ordinal) && l.EndsWith(",NAT", StringComparison.Ordinal));
        Assert.Contains(old, l => l.StartsWith("20190610,", StringComparison.Ordinal) && l.Contains("Queen's Birthday", StringComparison.Ordinal) && l.EndsWith(",NSW", StringComparison.Ordinal));
        Assert.Contains(upper, l => l.StartsWith("20240101,", StringComparison.Ordinal) && l.EndsWith(",NSW", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewYearScenario_PublishesTheNextYearsResource()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.PostAsync("_sim/scenarios/holidays-new-year", null);
        response.EnsureSuccessStatusCode();
        var applied = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["applied"]![0]!;
        var resources = await ResourcesAsync(http);
        var lines = await LinesAsync(http, Url(resources, 2027));

        Assert.Equal(("addDatasetResource", "australian_public_holidays_2027.csv"), ((string)applied["kind"]!, (string)applied["name"]!));
        Assert.Equal((string)applied["resource"]!, (string)resources[^1]!["id"]!);
        Assert.Equal(8, lines.Count(l => l.StartsWith("20270326,Good Friday,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DriftFault_WritesTheFirstDateInAnotherForm_UnknownResourceIs404()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var url = Url(await ResourcesAsync(http), 2025);
        using var fault = await http.PostAsync("_sim/faults", new StringContent($$"""{"routePrefix":"/data/dataset/{{DataGovAuCatalogue.HolidaysId}}/","mode":"drift","count":1}"""));
        fault.EnsureSuccessStatusCode();

        var drifted = await LinesAsync(http, url);
        var clean = await LinesAsync(http, url);
        using var missing = await http.GetAsync($"data/dataset/{DataGovAuCatalogue.HolidaysId}/resource/00000000-0000-0000-0000-000000000000/download/australian_public_holidays_2025.csv");

        Assert.StartsWith("2025-01-01,New Year's Day,", drifted[1], StringComparison.Ordinal);
        Assert.StartsWith("20250101,New Year's Day,", clean[1], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
