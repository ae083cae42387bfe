using System.Net;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.UpstreamSimulator.Jsa;

namespace Rtgf.Ingestion.Tests.Jsa;

/// <summary>The IVI connector through the real outbound pipeline against the simulator: the format, a new month, a revision and every fault mode.</summary>
public sealed class JsaIviClientTests : IAsyncLifetime
{
    private const string NoIviLink = "international-relations/security/sanctions/consolidated-list"; // the DFAT page

    private SimulatorHarness _sim = null!;

    private DateOnly Today => DateOnly.FromDateTime(_sim.Time.GetUtcNow().UtcDateTime);

    public async Task InitializeAsync() => _sim = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task GetAnzsco4_FollowsThePageLink_EverySeriesOfTheWorld()
    {
        var workbook = await _sim.Ivi.GetAnzsco4Async(Today);

        var month = _sim.World.IviMonth;
        Assert.Equal(new DateOnly(2025, 6, 1), month);
        Assert.Equal("/sites/default/files/2025-07/Internet%20Vacancies%2C%20ANZSCO4%20Occupations%2C%20States%20and%20Territories%20-%20June%202025.xlsx", workbook.Url.AbsolutePath);
        Assert.NotNull(workbook.ETag);
        var groups = IviEndpoints.UnitGroups(_sim.World);
        Assert.Equal((groups.Count + 1) * IviEndpoints.States.Length, workbook.Series.Count);
        Assert.All(workbook.Series, s =>
        {
            Assert.Equal(new DateOnly(2006, 1, 1), s.Points[0].Month);
            Assert.Equal(month, s.Points[^1].Month);
            Assert.Equal(s.Points.Count, s.Points.Select(p => p.Month).Distinct().Count());
        });
        var (code, title) = groups[0];
        var nsw = workbook.Series.Single(s => s.State == "NSW" && s.Code == code);
        Assert.Equal(title, nsw.Title);
        Assert.Equal(4, nsw.Level);
        Assert.Equal(IviEndpoints.Tenths(_sim.World.Seed, code, "NSW", month, 0) / 10m, nsw.Points[^1].Value);
        var aust = workbook.Series.Single(s => s.State == "AUST" && s.Code == code);
        Assert.Equal(workbook.Series.Where(s => s.Code == code && s.State != "AUST").Sum(s => s.Points[^1].Value), aust.Points[^1].Value);
        var total = workbook.Series.Single(s => s.State == "AUST" && s.Code == "0");
        Assert.Equal(0, total.Level);
        Assert.Equal(workbook.Series.Where(s => s.State == "AUST" && s.Level == 4).Sum(s => s.Points[0].Value), total.Points[0].Value);
    }

    [Fact]
    public async Task NewMonth_TheNextFoldersWorkbook_AppendsAMonthAndKeepsHistory()
    {
        var before = await _sim.Ivi.GetAnzsco4Async(Today);

        var applied = await ScenarioAsync("ivi-new-month");
        var after = await _sim.Ivi.GetAnzsco4Async(Today);

        Assert.Equal("2025-07", (string)applied["month"]!);
        Assert.StartsWith("/sites/default/files/2025-08/", after.Url.AbsolutePath, StringComparison.Ordinal);
        Assert.EndsWith("July%202025.xlsx", after.Url.AbsolutePath, StringComparison.Ordinal);
        foreach (var series in after.Series)
        {
            var old = before.Series.Single(s => s.Key == series.Key);
            Assert.Equal(old.Points.Count + 1, series.Points.Count);
            Assert.Equal(new DateOnly(2025, 7, 1), series.Points[^1].Month);
            Assert.Equal(old.Points, series.Points.Take(old.Points.Count));
        }
    }

    [Fact]
    public async Task Revision_RewritesTheLast24Months_SameUrl_NoMonthTwice()
    {
        var before = await _sim.Ivi.GetAnzsco4Async(Today);

        await ScenarioAsync("ivi-revision");
        var after = await _sim.Ivi.GetAnzsco4Async(Today);

        Assert.Equal(before.Url, after.Url);
        Assert.NotEqual(before.ETag, after.ETag);
        var windowStart = _sim.World.IviMonth.AddMonths(-IviEndpoints.RevisionWindowMonths + 1);
        var changed = 0;
        foreach (var series in after.Series)
        {
            var old = before.Series.Single(s => s.Key == series.Key);
            Assert.Equal(old.Points.Select(p => p.Month), series.Points.Select(p => p.Month));
            Assert.Equal(old.Points.Where(p => p.Month < windowStart), series.Points.Where(p => p.Month < windowStart));
            changed += series.Points.Zip(old.Points).Count(p => p.First.Month >= windowStart && p.First.Value != p.Second.Value);
        }

        Assert.True(changed > after.Series.Count * 12, $"only {changed} point(s) in the window changed");
    }

    [Fact]
    public async Task PageWithoutALink_FallsBackToThisMonthsFolder_ThenLastMonths()
    {
        // The DFAT page links no IVI workbook: as a redesigned IVI page would. Our date: July 2025 (this month's folder has June).
        var workbook = await _sim.Ivi.GetAnzsco4Async(new DateOnly(2025, 7, 15), NoIviLink);
        Assert.EndsWith("June%202025.xlsx", workbook.Url.AbsolutePath, StringComparison.Ordinal);

        // In August, this month's folder has nothing yet (404): last month's folder has June.
        var later = await _sim.Ivi.GetAnzsco4Async(new DateOnly(2025, 8, 3), NoIviLink);
        Assert.Equal(workbook.Url, later.Url);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() =>
            _sim.Ivi.GetAnzsco4Async(new DateOnly(2025, 10, 1), NoIviLink));
        Assert.Contains("links no ANZSCO4 workbook", error.Message, StringComparison.Ordinal);
        Assert.Contains("/sites/default/files/2025-10/Internet%20Vacancies%2C%20ANZSCO4%20Occupations%2C%20States%20and%20Territories%20-%20September%202025.xlsx", error.Message, StringComparison.Ordinal);
        Assert.Contains("/sites/default/files/2025-10/internet_vacancies_anzsco4_occupations_states_and_territories_-_september_2025.xlsx", error.Message, StringComparison.Ordinal);
        Assert.Contains("/sites/default/files/2025-09/internet_vacancies_anzsco4_occupations_states_and_territories_-_august_2025.xlsx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Anzsco4Paths_BothNamingsJsaHasUsed_TheSecondMatchedByTheLinkFinder()
    {
        var paths = JsaIviClient.Anzsco4Paths(new DateOnly(2026, 5, 1));

        Assert.Equal(
            ["sites/default/files/2026-06/Internet%20Vacancies%2C%20ANZSCO4%20Occupations%2C%20States%20and%20Territories%20-%20May%202026.xlsx",
             "sites/default/files/2026-06/internet_vacancies_anzsco4_occupations_states_and_territories_-_may_2026.xlsx"],
            paths);
        Assert.Equal(2, JsaIviClient.Anzsco4Links(string.Concat(paths.Select(p => $"<a href=\"/{p}\">x</a>"))).Count);
    }

    [Fact]
    public void Anzsco4Links_MatchEitherNamingOfTheFile()
    {
        var links = JsaIviClient.Anzsco4Links("""
            <a href="/sites/default/files/2026-06/internet_vacancies_anzsco4_occupations_states_and_territories_-_may_2026.xlsx">ANZSCO4</a>
            <a href="/sites/default/files/2025-07/Internet%20Vacancies%2C%20ANZSCO4%20Occupations%2C%20States%20and%20Territories%20-%20June%202025.xlsx">old</a>
            <a href="/sites/default/files/2026-06/internet_vacancies_anzsco2_occupations_states_and_territories_-_may_2026.xlsx">ANZSCO2</a>
            <a href="/sites/default/files/2026-06/internet_vacancies_anzsco4_occupations_states_and_territories_-_may_2026.pdf">notes</a>
            """);

        Assert.Equal(2, links.Count);
        Assert.All(links, l => Assert.Contains("4", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/data/internet-vacancy-index", "429")]
    [InlineData("/sites", "503")]
    [InlineData("/sites", "500")]
    [InlineData("/sites", "truncated")]
    public async Task TransientFault_Once_IsRetried_SameSeries(string routePrefix, string mode)
    {
        var expected = Flatten(await _sim.Ivi.GetAnzsco4Async(Today));
        await _sim.FaultAsync(routePrefix, mode, count: 1);

        var actual = await _sim.DriveAsync(() => _sim.Ivi.GetAnzsco4Async(Today), TimeSpan.FromSeconds(1));

        Assert.Equal(expected, Flatten(actual));
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task ServerError_EveryAttempt_FailsWithTheStatus()
    {
        await _sim.FaultAsync("/sites", "500", count: 3);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _sim.DriveAsync(() => _sim.Ivi.GetAnzsco4Async(Today), TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task Truncated_EveryAttempt_FailsWithoutAResult()
    {
        await _sim.FaultAsync("/sites", "truncated", count: 3);

        var error = await Record.ExceptionAsync(() => _sim.DriveAsync(() => _sim.Ivi.GetAnzsco4Async(Today), TimeSpan.FromSeconds(1)));

        Assert.True(error is HttpRequestException or IOException, $"unexpected {error?.GetType()}: {error?.Message}");
    }

    [Fact]
    public async Task Malformed_Workbook_IsAFormatError()
    {
        await _sim.FaultAsync("/sites", "malformed", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _sim.Ivi.GetAnzsco4Async(Today));

        Assert.StartsWith("The IVI workbook is not a readable XLSX workbook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchemaDrift_RenamedAndMovedColumns_NamesTheMissingColumn()
    {
        await _sim.FaultAsync("/sites", "drift", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _sim.Ivi.GetAnzsco4Async(Today));

        Assert.Equal(
            "IVI workbook, sheet '4 digit 3 month average', row 3: no column 'ANZSCO_CODE' (identifier columns found: Level (A), ANZSCO_TITLE (C), State (D)).",
            error.Message);
    }

    [Fact]
    public async Task ForeignLinks_OnThePage_AreRefusedAndNotFetched()
    {
        await using var other = await LoopbackServer.StartAsync((_, _) => Task.CompletedTask);
        await _sim.PostAdminAsync("_sim/faults", new JsonObject { ["routePrefix"] = "/data/internet-vacancy-index", ["mode"] = "foreign-links", ["target"] = other.BaseAddress.AbsoluteUri });

        var error = await Assert.ThrowsAsync<UpstreamOriginException>(() => _sim.Ivi.GetAnzsco4Async(Today));

        Assert.Empty(other.Received);
        Assert.Contains(other.BaseAddress.Authority, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkbookRedirectedToAnotherHost_IsRefusedAndNotFetched()
    {
        await using var other = await LoopbackServer.StartAsync((_, _) => Task.CompletedTask);
        await _sim.PostAdminAsync("_sim/faults", new JsonObject { ["routePrefix"] = "/sites", ["mode"] = "redirect", ["target"] = other.BaseAddress.AbsoluteUri });

        await Assert.ThrowsAsync<UpstreamOriginException>(() => _sim.Ivi.GetAnzsco4Async(Today));

        Assert.Empty(other.Received);
    }

    private async Task<JsonObject> ScenarioAsync(string name) =>
        Assert.Single((await _sim.PostAdminAsync("_sim/scenarios/" + name))["applied"]!.AsArray())!.AsObject();

    private static List<string> Flatten(IviWorkbook workbook) =>
        [.. workbook.Series.Select(s => s.Key + "=" + string.Join(",", s.Points.Select(p => p.Value)))];
}
