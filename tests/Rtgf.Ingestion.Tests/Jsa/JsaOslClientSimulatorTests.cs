using System.Net;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.UpstreamSimulator.Jsa;

namespace Rtgf.Ingestion.Tests.Jsa;

/// <summary>The Occupation Shortage List connector through the real outbound pipeline against the simulator: the page, the workbook, scripted changes and faults.</summary>
public sealed class JsaOslClientSimulatorTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;

    public async Task InitializeAsync() => _sim = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private int Year
    {
        get
        {
            lock (_sim.World.Gate)
            {
                return _sim.World.OslYear;
            }
        }
    }

    private string Folder => $"/sites/default/files/{OslEndpoints.Folder(Year)}";

    [Fact]
    public async Task GetList_FindsTheWorkbookOnThePage_AndReadsEveryOccupationOfTheWorld()
    {
        var download = await _sim.JsaOsl.GetListAsync();

        Assert.Equal($"{Folder}/{Year}%20Occupation%20Shortage%20List%20-%206%20digit%20ANZSCO%20and%20OSCA.xlsx", download.Url.AbsolutePath);
        Assert.Equal(Year, download.List.Year);
        Assert.Equal(2 * _sim.World.Occupations.Count, download.List.Occupations.Count);
        foreach (var occupation in _sim.World.Occupations)
        {
            foreach (var classification in new[] { "anzsco-2022", "osca-2024" })
            {
                var record = download.List.Occupations.Single(r => r.Classification == classification && r.Code == occupation.Code);
                Assert.Equal((occupation.Title, occupation.National, occupation.SkillLevel), (record.Title, record.National, record.SkillLevel));
                Assert.Equal(occupation.States, record.States);
            }
        }
    }

    private static readonly Uri Page = new("http://jsa.test/data/occupation-shortage");

    [Theory]
    [InlineData(false, "/sites/default/files/2025-10/2025%20Occupation%20Shortage%20List%20-%206%20digit%20ANZSCO%20and%20OSCA.xlsx")]
    [InlineData(true, "/sites/default/files/2025-10/2025_occupation_shortage_list_-_6_digit_anzsco_and_osca.xlsx")]
    public void FindListLink_SkipsTheChartUnitGroupAndHistoricalWorkbooks_InEitherNaming(bool underscores, string expected)
    {
        var link = JsaOslClient.FindListLink(OslEndpoints.Page(2025, underscores), Page);

        Assert.Equal("http://jsa.test" + expected, link.AbsoluteUri);
    }

    [Fact]
    public void FindListLink_NoneOrTwoCandidates_IsAFormatError()
    {
        var none = Assert.Throws<UpstreamFormatException>(() => JsaOslClient.FindListLink("<a href=\"/a.xlsx\">Charts</a><a href=\"/historical_occupation_shortage_list_6-digit_anzsco_2021-2024.xlsx\">h</a>", Page));
        var two = Assert.Throws<UpstreamFormatException>(() => JsaOslClient.FindListLink(
            "<a href=\"/x/2025%20Occupation%20Shortage%20List%20-%206%20digit.xlsx\">a</a><a href=\"/y/2024 Occupation Shortage List - 6 digit.xlsx\">b</a>", Page));

        Assert.Contains("no .xlsx link", none.Message, StringComparison.Ordinal);
        Assert.Contains("links 2 Occupation Shortage List workbooks", two.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindListLink_RelativeAndAbsoluteLinksToOneFile_AreOneWorkbook_DataHrefIsNotALink()
    {
        var link = JsaOslClient.FindListLink(
            """
            <a data-href="/old/2024 Occupation Shortage List - 6 digit.xlsx" href="/x/2025_occupation_shortage_list_-_6_digit.xlsx">2025 list</a>
            <a href="http://jsa.test/x/2025_occupation_shortage_list_-_6_digit.xlsx">Download</a>
            <a href="../x/2025_occupation_shortage_list_-_6_digit.xlsx">Download</a>
            """,
            Page);

        Assert.Equal("http://jsa.test/x/2025_occupation_shortage_list_-_6_digit.xlsx", link.AbsoluteUri);
    }

    [Fact]
    public async Task RenamedUploads_LowerCaseWithUnderscores_TheListIsStillFound()
    {
        var before = await _sim.JsaOsl.GetListAsync();

        await _sim.PostAdminAsync("_sim/changes", new JsonObject { ["changes"] = new JsonArray(new JsonObject { ["kind"] = "renameOsl" }) });
        var after = await _sim.JsaOsl.GetListAsync();

        Assert.Equal($"{Folder}/{Year}_occupation_shortage_list_-_6_digit_anzsco_and_osca.xlsx", after.Url.AbsolutePath);
        Assert.Equal(before.List.Occupations.Select(o => (o.Key, o.National)), after.List.Occupations.Select(o => (o.Key, o.National)));
        using var old = await _sim.Admin.GetAsync(before.Url);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task NewOslYear_MovesTheFileToANewFolder_AndChangesSomeRatings()
    {
        var before = await _sim.JsaOsl.GetListAsync();

        var applied = await _sim.PostAdminAsync("_sim/scenarios/osl-new-year");
        var after = await _sim.JsaOsl.GetListAsync();

        Assert.Equal(before.List.Year + 1, (int)applied["applied"]![0]!["year"]!);
        Assert.Equal(before.List.Year + 1, after.List.Year);
        Assert.Contains($"/{before.List.Year + 1}-10/", after.Url.AbsolutePath, StringComparison.Ordinal);
        var changed = before.List.Occupations.Zip(after.List.Occupations).Count(p => p.First.States["NSW"] != p.Second.States["NSW"]);
        Assert.Equal(2 * ((_sim.World.Occupations.Count + 4) / 5), changed);
        using var old = await _sim.Admin.GetAsync(before.Url);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task RatingChanged_IsReadOnBothSheets()
    {
        var applied = (JsonObject)(await _sim.PostAdminAsync("_sim/scenarios/osl-rating-changed"))["applied"]![0]!;

        var list = (await _sim.JsaOsl.GetListAsync()).List;

        var code = (string)applied["code"]!;
        Assert.All(list.Occupations.Where(o => o.Code == code), o => Assert.Equal((string)applied["national"]!, o.National));
        Assert.Equal(2, list.Occupations.Count(o => o.Code == code));
    }

    [Fact]
    public async Task ReshapedWorkbook_MovedColumnsAndMergedHeader_ReadsTheSameList()
    {
        var before = await _sim.JsaOsl.GetListAsync();

        await _sim.PostAdminAsync("_sim/changes", new JsonObject { ["changes"] = new JsonArray(new JsonObject { ["kind"] = "reshapeOsl" }) });
        var after = await _sim.JsaOsl.GetListAsync();

        Assert.NotEqual(before.Bytes, after.Bytes);
        Assert.Equal(before.List.Occupations, after.List.Occupations, (a, b) => a.Key == b.Key && a.National == b.National && a.Title == b.Title && a.SkillLevel == b.SkillLevel && a.States.SequenceEqual(b.States));
    }

    [Fact]
    public async Task SchemaDrift_IsRejectedNamingSheetRowAndMissingColumn()
    {
        await _sim.FaultAsync(Folder, "drift", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _sim.JsaOsl.GetListAsync());

        Assert.Contains($"sheet '{Year} OSL (ANZSCO 2022)' row 8: no national rating column", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task MalformedWorkbook_IsAFormatError()
    {
        await _sim.FaultAsync(Folder, "malformed", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _sim.JsaOsl.GetListAsync());

        Assert.Contains("not a readable XLSX workbook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedOnce_IsRetried_AndTheWholeListRead()
    {
        var expected = await _sim.JsaOsl.GetListAsync();
        await _sim.FaultAsync(Folder, "truncated", count: 1);

        var actual = await _sim.DriveAsync(() => _sim.JsaOsl.GetListAsync(), TimeSpan.FromSeconds(1));

        Assert.Equal(expected.Bytes, actual.Bytes);
        Assert.Equal(expected.List.Occupations.Count, actual.List.Occupations.Count);
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task ServerErrorOnEveryAttempt_FailsWithTheStatus()
    {
        await _sim.FaultAsync(OslEndpoints.PagePath, "500", count: 3);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _sim.DriveAsync(() => _sim.JsaOsl.GetListAsync(), TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task PageLinkingToAnotherHost_IsRefusedBeforeTheWorkbookIsFetched()
    {
        await _sim.PostAdminAsync("_sim/faults", new JsonObject { ["routePrefix"] = OslEndpoints.PagePath, ["mode"] = "foreign-links", ["count"] = 1, ["target"] = "http://127.0.0.2:9/" });

        var error = await Assert.ThrowsAsync<UpstreamOriginException>(() => _sim.JsaOsl.GetListAsync());

        Assert.Contains("The Occupation Shortage List link", error.Message, StringComparison.Ordinal);
    }
}
