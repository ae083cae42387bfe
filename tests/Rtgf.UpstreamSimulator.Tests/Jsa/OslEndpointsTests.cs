using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Rtgf.UpstreamSimulator.Jsa;

namespace Rtgf.UpstreamSimulator.Tests.Jsa;

public sealed class OslEndpointsTests
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static int Year(SimulatorServer server)
    {
        lock (server.World.Gate)
        {
            return server.World.OslYear;
        }
    }

    [Fact]
    public async Task Page_LinksTheListAmongTheChartUnitGroupAndHistoricalWorkbooks()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var year = Year(server);

        var html = await http.GetStringAsync(OslEndpoints.PagePath.TrimStart('/'));

        Assert.Contains($"href=\"{OslEndpoints.FilePath(year)}\"", html, StringComparison.Ordinal);
        Assert.Contains($"/sites/default/files/{year}-10/{Uri.EscapeDataString(OslEndpoints.ChartsFileName(year))}", html, StringComparison.Ordinal);
        Assert.Contains("Historical Occupation Shortage List, 6-digit ANZSCO", html, StringComparison.Ordinal);
        Assert.Contains("Unit Group Shortage List - 4 digit ANZSCO.xlsx", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenameOsl_PageAndFilesUseLowerCaseUnderscoreNames_TheTitledFileIsGone()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var year = Year(server);

        using var response = await http.PostAsync("_sim/changes", new StringContent("""{"changes":[{"kind":"renameOsl"}]}"""));
        response.EnsureSuccessStatusCode();
        var html = await http.GetStringAsync(OslEndpoints.PagePath.TrimStart('/'));
        using var titled = await http.GetAsync(OslEndpoints.FilePath(year).TrimStart('/'));
        using var renamed = await http.GetAsync(OslEndpoints.FilePath(year, underscores: true).TrimStart('/'));

        Assert.Equal($"/sites/default/files/{year}-10/{year}_occupation_shortage_list_-_6_digit_anzsco_and_osca.xlsx", OslEndpoints.FilePath(year, underscores: true));
        Assert.Contains($"href=\"{OslEndpoints.FilePath(year, underscores: true)}\"", html, StringComparison.Ordinal);
        Assert.Contains($"historical_occupation_shortage_list_6-digit_anzsco_2021-{year - 1}.xlsx", html, StringComparison.Ordinal);
        Assert.DoesNotContain(OslEndpoints.FilePath(year), html, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK), (titled.StatusCode, renamed.StatusCode));
    }

    [Fact]
    public async Task Workbook_HasBothSheets_HeaderOnRow8_CodesAsIntegers_FootnotesAfterTheData()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var year = Year(server);

        var parts = Parts(await http.GetByteArrayAsync(OslEndpoints.FilePath(year).TrimStart('/')));

        Assert.Equal([$"{year} OSL (ANZSCO 2022)", $"{year} OSL (OSCA 2024)"], parts["xl/workbook.xml"].Descendants(Main + "sheet").Select(s => (string)s.Attribute("name")!));
        var rows = Rows(parts["xl/worksheets/sheet1.xml"]);
        Assert.Equal(
            ["Occupation code (ANZSCO 2022)", "Occupation title", OslEndpoints.NationalHeader, "NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT", "Skill level ", "Major Occupation Group"],
            rows[8]);
        var first = server.World.Occupations[0];
        Assert.Equal([first.Code, first.Title, first.National, .. first.States.Values, first.SkillLevel.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Code[..1]], rows[9]);
        Assert.Equal("Occupation code (OSCA 2024)", Rows(parts["xl/worksheets/sheet2.xml"])[8][0]);
        var last = rows.Keys.Max();
        Assert.StartsWith("Source: Jobs and Skills Australia", rows[last][0], StringComparison.Ordinal);
        Assert.Equal(8 + server.World.Occupations.Count + 3, last); // a blank row and two footnotes
        // Codes are numbers, not text.
        Assert.Null(parts["xl/worksheets/sheet1.xml"].Descendants(Main + "c").First(c => (string?)c.Attribute("r") == "A9").Attribute("t"));
    }

    [Fact]
    public async Task Reshaped_MovesColumnsAndMergesTheHeaderRows_DriftDropsTheNationalColumn()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var path = OslEndpoints.FilePath(Year(server)).TrimStart('/');
        using var change = await http.PostAsync("_sim/changes", new StringContent("""{"changes":[{"kind":"reshapeOsl"}]}"""));
        change.EnsureSuccessStatusCode();

        var reshaped = Parts(await http.GetByteArrayAsync(path))["xl/worksheets/sheet1.xml"];
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Sim-Fault", "drift");
        using var drifted = await http.SendAsync(request);
        var driftedRows = Rows(Parts(await drifted.Content.ReadAsByteArrayAsync())["xl/worksheets/sheet1.xml"]);

        var rows = Rows(reshaped);
        Assert.Equal(["Occupation title", "Occupation code", "Shortage rating", "Major Occupation Group", "Skill level"], rows[7].Where(c => c.Length > 0));
        Assert.Equal(["(ANZSCO 2022)", "NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT", "National"], rows[8].Where(c => c.Length > 0));
        Assert.Contains("A7:A8", reshaped.Descendants(Main + "mergeCell").Select(m => (string)m.Attribute("ref")!));
        Assert.Contains("C7:K7", reshaped.Descendants(Main + "mergeCell").Select(m => (string)m.Attribute("ref")!));
        Assert.DoesNotContain("National", driftedRows[8]);
        Assert.Equal(rows.Count, driftedRows.Count);
    }

    [Fact]
    public async Task NewOslYear_MovesTheFileToTheNextFolder_TheOldOneIsGone()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var year = Year(server);
        var nsw = server.World.Occupations.OrderBy(o => o.Code, StringComparer.Ordinal).First().States["NSW"];

        using var applied = await http.PostAsync("_sim/scenarios/osl-new-year", null);
        var result = JsonNode.Parse(await applied.Content.ReadAsStringAsync())!;

        Assert.Equal(year + 1, (int)result["applied"]![0]!["year"]!);
        using var old = await http.GetAsync(OslEndpoints.FilePath(year).TrimStart('/'));
        using var moved = await http.GetAsync(OslEndpoints.FilePath(year + 1).TrimStart('/'));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK), (old.StatusCode, moved.StatusCode));
        Assert.Contains($"/{year + 1}-10/", await http.GetStringAsync(OslEndpoints.PagePath.TrimStart('/')), StringComparison.Ordinal);
        Assert.NotEqual(nsw, server.World.Occupations.OrderBy(o => o.Code, StringComparer.Ordinal).First().States["NSW"]);
    }

    [Theory]
    [InlineData("""{"kind":"rateOccupation","code":"999999","rating":"S"}""", "No occupation with code")]
    [InlineData("""{"kind":"rateOccupation","code":"{code}","rating":"X"}""", "is not one of S, R, M, NS")]
    [InlineData("""{"kind":"rateOccupation","code":"{code}","state":"XYZ","rating":"S"}""", "is not national or one of NSW")]
    public async Task RateOccupation_BadChange_IsRefusedAndNamed(string change, string message)
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.PostAsync("_sim/changes", new StringContent($$"""{"changes":[{{change.Replace("{code}", server.World.Occupations[0].Code, StringComparison.Ordinal)}}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Dictionary<string, XDocument> Parts(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        return zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)).ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            return XDocument.Load(stream);
        });
    }

    /// <summary>Cell texts by row number, in column order ("" for a gap).</summary>
    private static SortedDictionary<int, List<string>> Rows(XDocument sheet)
    {
        var rows = new SortedDictionary<int, List<string>>();
        foreach (var row in sheet.Descendants(Main + "row"))
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements(Main + "c"))
            {
                var column = ((string)cell.Attribute("r")!).TakeWhile(char.IsLetter).Aggregate(0, (n, ch) => (n * 26) + ch - 'A' + 1) - 1;
                while (cells.Count < column)
                {
                    cells.Add(string.Empty);
                }

                cells.Add(cell.Element(Main + "v")?.Value ?? cell.Descendants(Main + "t").FirstOrDefault()?.Value ?? string.Empty);
            }

            rows[int.Parse((string)row.Attribute("r")!, System.Globalization.CultureInfo.InvariantCulture)] = cells;
        }

        return rows;
    }
}
