using Rtgf.Ingestion.Jsa;
using Rtgf.UpstreamSimulator.Formats;

namespace Rtgf.Ingestion.Tests.Jsa;

/// <summary>The IVI ANZSCO4 sheet: what parses (moved columns, no Level, suppressed cells, footnotes) and each rejection, named by sheet, row and column.</summary>
public sealed class InternetVacancyIndexParserTests
{
    private const string Sheet = InternetVacancyIndexParser.Anzsco4Sheet;

    // 2025-04-01, 2025-05-01, 2025-06-01 as Excel serials.
    private const int April = 45748;
    private const int May = 45778;
    private const int June = 45809;

    [Fact]
    public void Parse_BannerHeaderTotalsAndGroups_OneSeriesPerStateAndCode()
    {
        var records = Parse(Good());

        Assert.Equal(["AUST:0", "AUST:3513", "NSW:0", "NSW:2613", "NSW:3513"], records.Select(r => r.State + ":" + r.Code));
        var chefs = records.Single(r => r.State == "NSW" && r.Code == "3513");
        Assert.Equal("anzsco4-3mma", chefs.Series);
        Assert.Equal("Chefs", chefs.Title);
        Assert.Equal(4, chefs.Level);
        Assert.Equal([new DateOnly(2025, 4, 1), new DateOnly(2025, 5, 1), new DateOnly(2025, 6, 1)], chefs.Points.Select(p => p.Month));
        Assert.Equal([812.3m, 790m, 801.7m], chefs.Points.Select(p => p.Value));
        Assert.Equal(0, records.Single(r => r.State == "AUST" && r.Code == "0").Level);
    }

    [Fact]
    public void Parse_MovedColumnsNoLevelAndLowerCaseState_ReadsTheSameSeries()
    {
        // The newer layout: ANZSCO_CODE, ANZSCO_TITLE, state, months; here also reordered.
        var rows = new List<object?[]>
        {
            new object?[] { "ANZSCO_TITLE", "state", "ANZSCO_CODE", April, May, June },
            new object?[] { "TOTAL", "NSW", "0", 3000.5m, 3100m, 3200m },
            new object?[] { "Chefs", "NSW", 3513, 812.3m, 790m, 801.7m },
        };

        var records = Parse(rows);

        var chefs = records.Single(r => r.Code == "3513");
        Assert.Equal(4, chefs.Level);
        Assert.Equal([812.3m, 790m, 801.7m], chefs.Points.Select(p => p.Value));
        Assert.Equal(0, records.Single(r => r.Code == "0").Level);
    }

    [Fact]
    public void Parse_SuppressedCellsAndSuppressedGroups_AreNoObservation()
    {
        var rows = Good();
        rows[4][5] = "."; // NSW 2613, May
        rows.Add(["4", "NSW", ".", "Legislators", ".", ".", "."]);

        var records = Parse(rows);

        Assert.Equal([new DateOnly(2025, 4, 1), new DateOnly(2025, 6, 1)], records.Single(r => r.Code == "2613").Points.Select(p => p.Month));
        Assert.DoesNotContain(records, r => r.Title == "Legislators");
    }

    [Fact]
    public void Parse_SuppressedGroupWithABlankMonth_IsRejected()
    {
        var rows = Good();
        rows.Add(["4", "NSW", ".", "Legislators", ".", null, "."]);

        var error = Assert.Throws<UpstreamFormatException>(() => Parse(rows));

        Assert.Contains("row 9, column F: a row with code '.' (a suppressed group) has the value '(blank)', not '.'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(123456)]
    [InlineData(123)]
    [InlineData(261311111)]
    public void Parse_NoLevelColumn_ACodeOfAnotherLength_IsRejected(int code)
    {
        var rows = new List<object?[]>
        {
            new object?[] { "ANZSCO_CODE", "ANZSCO_TITLE", "state", April },
            new object?[] { "0", "TOTAL", "NSW", 3000.5m },
            new object?[] { code, "Software Engineer", "NSW", 12m },
        };

        var error = Assert.Throws<UpstreamFormatException>(() => Parse(rows));

        Assert.Contains($"row 3, column A (ANZSCO_CODE): '{code}' is not an ANZSCO code of level 1, 2 or 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BlankRowsAndFootnotes_AreSkipped()
    {
        var rows = Good();
        rows.Insert(5, []);
        rows.Add([]);
        rows.Add(["Note: three month moving averages; revised each month."]);
        rows.Add([null, null, null, "Source: Jobs and Skills Australia"]);

        Assert.Equal(5, Parse(rows).Count);
    }

    [Fact]
    public void Parse_DateAsTextHeader_IsRejected()
    {
        var rows = Good();
        rows[2][5] = "2025-05-01"; // text that is not a serial: rejected
        var error = Assert.Throws<UpstreamFormatException>(() => Parse(rows));
        Assert.Contains("row 3, column F", error.Message, StringComparison.Ordinal);
        Assert.Contains("neither an identifier column", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, int, object?, string> Rejections => new()
    {
        // name, row index (0-based), column index, new cell, expected message part
        { "text month header", 2, 5, "May 2025", "row 3, column F: header 'May 2025' is neither an identifier column" },
        { "mid-month serial", 2, 5, 45779, "row 3, column F: month header 2025-05-02 (serial '45779') is not the first of a month" },
        { "duplicate month", 2, 6, May, "row 3, column G: month 2025-05 heads two columns (F and G)" },
        { "blank value", 4, 5, null, "row 5, column F: 2025-05 is blank" },
        { "text value", 4, 5, "n/a", "row 5, column F: 2025-05 value 'n/a' is not a non-negative number" },
        { "negative value", 4, 5, -3m, "row 5, column F: 2025-05 value '-3' is not a non-negative number" },
        { "unknown state", 4, 1, "NZ", "row 5, column B (State): unknown state 'NZ'" },
        { "three-digit code at level 4", 4, 2, 261, "row 5, column C (ANZSCO_CODE): '261' is not an ANZSCO code of level 4" },
        { "major group 9", 4, 2, 9613, "row 5, column C (ANZSCO_CODE): '9613' is not an ANZSCO code of level 4" },
        { "code with letters", 4, 2, "26X3", "row 5, column C (ANZSCO_CODE): '26X3' is not an ANZSCO code of level 4" },
        { "total row with a code", 3, 2, "1", "row 4, column C (ANZSCO_CODE): a level 0 (total) row has the code '1', not '0'" },
        { "level out of range", 4, 0, 5, "row 5, column A (Level): level '5' is not an IVI level (0, 1, 2 or 4)" },
        { "level 3 (the IVI has none)", 4, 0, 3, "row 5, column A (Level): level '3' is not an IVI level (0, 1, 2 or 4)" },
        { "duplicate state and code", 5, 2, 2613, "row 6, column C (ANZSCO_CODE): NSW 2613 appears again (first on row 5)" },
        { "renamed code column", 2, 2, "ANZSCO4_CODE", "row 3: no column 'ANZSCO_CODE' (identifier columns found: Level (A), State (B), ANZSCO_TITLE (D))" },
        { "no state", 4, 1, null, "row 5, column B (State): no state" },
        { "value in a suppressed row", 4, 2, ".", "row 5, column E: a row with code '.' (a suppressed group) has the value '1204', not '.'" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Parse_BadCell_IsRejectedNamingSheetRowAndColumn(string name, int row, int column, object? cell, string expected)
    {
        var rows = Good();
        rows[row][column] = cell;

        var error = Assert.Throws<UpstreamFormatException>(() => Parse(rows));

        Assert.True(error.Message.StartsWith($"IVI workbook, sheet '{Sheet}', ", StringComparison.Ordinal), $"{name}: {error.Message}");
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoSuchSheet_NamesTheSheetsFound()
    {
        var xlsx = XlsxWriter.Write("Trend", Good());

        var error = Assert.Throws<UpstreamFormatException>(() => InternetVacancyIndexParser.Parse(new MemoryStream(xlsx)));

        Assert.Equal("IVI workbook: no sheet '4 digit 3 month average' (sheets: 'Trend').", error.Message);
    }

    [Fact]
    public void Parse_NoHeaderRow_IsRejected()
    {
        var error = Assert.Throws<UpstreamFormatException>(() => Parse([["Internet Vacancy Index"], [1, 2, 3]]));

        Assert.Contains("no header row naming 'ANZSCO_CODE'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotAnXlsx_IsAFormatError()
    {
        var error = Assert.Throws<UpstreamFormatException>(() => InternetVacancyIndexParser.Parse(new MemoryStream("<html>maintenance</html>"u8.ToArray())));

        Assert.StartsWith("The IVI workbook is not a readable XLSX workbook", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Banner, source line, header, totals and two groups in NSW and AUST.</summary>
    private static List<object?[]> Good() =>
    [
        ["Internet Vacancy Index - ANZSCO4 Occupations, States and Territories"],
        ["Source: Jobs and Skills Australia"],
        ["Level", "State", "ANZSCO_CODE", "ANZSCO_TITLE", April, May, June],
        [0, "NSW", "0", "TOTAL", 3000.5m, 3100m, 3200m],
        [4, "NSW", 2613, "Software and Applications Programmers", 1204m, 1190.7m, 1188m],
        [4, "NSW", 3513, "Chefs", 812.3m, 790m, 801.7m],
        [0, "AUST", "0", "TOTAL", 9000m, 9100m, 9200m],
        [4, "AUST", 3513, "Chefs", 2500m, 2400.3m, 2450m],
    ];

    private static IReadOnlyList<Records.VacancySeriesRecord> Parse(IEnumerable<object?[]> rows) =>
        InternetVacancyIndexParser.Parse(new MemoryStream(XlsxWriter.Write(Sheet, rows)));
}
