using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Xml.Linq;
using Rtgf.UpstreamSimulator.Jsa;

namespace Rtgf.UpstreamSimulator.Tests.Jsa;

/// <summary>The IVI landing page and ANZSCO4 workbook: layout, Excel-serial month headers, totals, new month, revision, drift.</summary>
public sealed class IviEndpointsTests
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    [Fact]
    public async Task Page_LinksTheReferenceMonthsWorkbook_InThePublicationMonthsFolder()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var html = await http.GetStringAsync(IviEndpoints.PagePath.TrimStart('/'));

        Assert.Contains(
            "href=\"/sites/default/files/2025-07/Internet%20Vacancies%2C%20ANZSCO4%20Occupations%2C%20States%20and%20Territories%20-%20June%202025.xlsx\"",
            html,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workbook_HeaderHasIdentifiersThenExcelSerialMonths_RowsForEveryGroupStateAndTotal()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var (sheet, grid) = Read(await http.GetByteArrayAsync(IviEndpoints.FilePath(new DateOnly(2025, 6, 1)).TrimStart('/')));

        Assert.Equal(IviEndpoints.Sheet, sheet);
        var header = grid[2];
        Assert.Equal(["Level", "State", "ANZSCO_CODE", "ANZSCO_TITLE"], header.Take(4));
        Assert.Equal("38718", header[4]); // 2006-01-01
        Assert.Equal("45809", header[^1]); // 2025-06-01
        Assert.Equal(4 + 234, header.Count);
        var groups = IviEndpoints.UnitGroups(server.World);
        var data = grid.Skip(3).Where(r => r.Count > 4).ToList();
        Assert.Equal((groups.Count + 1) * 9, data.Count);
        Assert.Equal(9, data.Count(r => r[0] == "0" && r[2] == "0" && r[3] == "TOTAL"));
        Assert.All(data.Where(r => r[0] == "4"), r => Assert.Matches("^[1-8][0-9]{3}$", r[2]));
        var (code, _) = groups[0];
        decimal Value(string state) => decimal.Parse(data.Single(r => r[1] == state && r[2] == code)[^1], CultureInfo.InvariantCulture);
        Assert.Equal(new[] { "NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT" }.Sum(Value), Value("AUST"));
        Assert.StartsWith("Note:", grid[^1][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewMonth_NextFolderServesIt_OldWorkbookUnchanged_FutureIs404()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var june = IviEndpoints.FilePath(new DateOnly(2025, 6, 1)).TrimStart('/');
        var july = IviEndpoints.FilePath(new DateOnly(2025, 7, 1)).TrimStart('/');
        var before = await http.GetByteArrayAsync(june);
        using (var missing = await http.GetAsync(july))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using var applied = await http.PostAsync("_sim/scenarios/ivi-new-month", null);
        applied.EnsureSuccessStatusCode();

        Assert.Equal(before, await http.GetByteArrayAsync(june));
        var (_, grid) = Read(await http.GetByteArrayAsync(july));
        Assert.Equal("45839", grid[2][^1]); // 2025-07-01
        Assert.Contains("2025-08/", await http.GetStringAsync(IviEndpoints.PagePath.TrimStart('/')), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revision_RewritesRecentMonthsOnly()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var path = IviEndpoints.FilePath(new DateOnly(2025, 6, 1)).TrimStart('/');
        var (_, before) = Read(await http.GetByteArrayAsync(path));

        using var applied = await http.PostAsync("_sim/scenarios/ivi-revision", null);
        applied.EnsureSuccessStatusCode();
        var (_, after) = Read(await http.GetByteArrayAsync(path));

        // Columns E.. are 2006-01 onwards: 2023-06 (index 4 + 209) is outside the 24-month window, 2023-07 onwards inside.
        var outside = 4 + 209;
        Assert.Equal(before.Skip(3).Select(r => r.Take(outside + 1)).SelectMany(c => c), after.Skip(3).Select(r => r.Take(outside + 1)).SelectMany(c => c));
        Assert.NotEqual(before.Skip(3).Select(r => string.Join(",", r.Skip(outside + 1))), after.Skip(3).Select(r => string.Join(",", r.Skip(outside + 1))));
    }

    [Fact]
    public async Task Drift_RenamesTheCodeColumnAndMovesState()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        using var request = new HttpRequestMessage(HttpMethod.Get, IviEndpoints.FilePath(new DateOnly(2025, 6, 1)).TrimStart('/'));
        request.Headers.Add("X-Sim-Fault", "drift");

        using var response = await http.SendAsync(request);
        var (_, grid) = Read(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(["Level", "ANZSCO4_CODE", "ANZSCO_TITLE", "State"], grid[2].Take(4));
    }

    [Fact]
    public async Task OtherFileNamesAndBadFolders_Are404()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var wrongMonth = await http.GetAsync("sites/default/files/2025-07/" + Uri.EscapeDataString(IviEndpoints.FileName(new DateOnly(2025, 5, 1))));
        using var badFolder = await http.GetAsync("sites/default/files/latest/" + Uri.EscapeDataString(IviEndpoints.FileName(new DateOnly(2025, 6, 1))));

        Assert.Equal(HttpStatusCode.NotFound, wrongMonth.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badFolder.StatusCode);
    }

    /// <summary>The only sheet's name and its rows as cell texts (column order, gaps closed: the writer leaves no gaps in data rows).</summary>
    private static (string Sheet, List<List<string>> Grid) Read(byte[] xlsx)
    {
        using var archive = new ZipArchive(new MemoryStream(xlsx));
        XDocument Load(string name)
        {
            using var stream = archive.GetEntry(name)!.Open();
            return XDocument.Load(stream);
        }

        var sheet = (string)Load("xl/workbook.xml").Descendants(Main + "sheet").Single().Attribute("name")!;
        var grid = Load("xl/worksheets/sheet1.xml").Descendants(Main + "row")
            .Select(row => row.Elements(Main + "c").Select(c => (string?)c.Attribute("t") == "inlineStr" ? c.Element(Main + "is")!.Element(Main + "t")!.Value : c.Element(Main + "v")!.Value).ToList())
            .ToList();
        return (sheet, grid);
    }
}
