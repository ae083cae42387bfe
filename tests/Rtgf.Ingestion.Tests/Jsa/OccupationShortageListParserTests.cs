using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Records;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.Jsa;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Ingestion.Tests.Jsa;

/// <summary>
/// The parser on workbooks the simulator's writer builds in the test: the real layout, the reshaped one (moved columns,
/// a merged two-row header, footnotes) and each kind of bad cell, rejected with its sheet, row and column.
/// </summary>
public sealed class OccupationShortageListParserTests
{
    private const int Year = 2025;
    private const string Sheet = "sheet '2025 OSL (ANZSCO 2022)'";

    private static List<Occupation> Occupations() =>
    [
        Make("131112", "Sales and Marketing Manager", "S", 1, nsw: "R"),
        Make("233211", "Civil Engineer", "S", 1),
        Make("351411", "Cook", "NS", 3, act: "M"),
        Make("411411", "Enrolled Nurse", "R", 2),
    ];

    private static Occupation Make(string code, string title, string national, int skill, string nsw = "S", string act = "NS") => new()
    {
        Code = code,
        Title = title,
        SkillLevel = skill,
        National = national,
        States = WorldGenerator.StateColumns.ToDictionary(s => s, s => s switch { "NSW" => nsw, "ACT" => act, _ => national }),
    };

    private static OccupationShortageList Parse(byte[] xlsx) => OccupationShortageListParser.Parse(new MemoryStream(xlsx));

    private static UpstreamFormatException Rejects(List<Occupation> occupations, OslLayout layout = OslLayout.Standard) =>
        Assert.Throws<UpstreamFormatException>(() => Parse(OslEndpoints.Workbook(Year, occupations, layout)));

    [Fact]
    public void Parse_TheListWorkbook_ReadsBothSheetsWithEveryRating()
    {
        var list = Parse(OslEndpoints.Workbook(Year, Occupations(), OslLayout.Standard));

        Assert.Equal(Year, list.Year);
        Assert.Equal(8, list.Occupations.Count);
        Assert.Equal(
            ["anzsco-2022:131112", "anzsco-2022:233211", "anzsco-2022:351411", "anzsco-2022:411411", "osca-2024:131112", "osca-2024:233211", "osca-2024:351411", "osca-2024:411411"],
            list.Occupations.Select(o => o.Classification + ":" + o.Code));
        var cook = list.Occupations[2];
        Assert.Equal(("Cook", "NS", 3, 2025), (cook.Title, cook.National, cook.SkillLevel, cook.ListYear));
        Assert.Equal(["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"], cook.States.Keys);
        Assert.Equal(["S", "NS", "NS", "NS", "NS", "NS", "NS", "M"], cook.States.Values);
        Assert.Equal("R", list.Occupations[0].States["NSW"]);
    }

    [Fact]
    public void Parse_MovedColumnsMergedHeaderRowsAndFootnotes_ReadTheSameRecords()
    {
        var standard = Parse(OslEndpoints.Workbook(Year, Occupations(), OslLayout.Standard));

        var reshaped = Parse(OslEndpoints.Workbook(Year, Occupations(), OslLayout.Reshaped));

        Assert.Equal(Json(standard), Json(reshaped));
    }

    [Fact]
    public void Parse_OlderRatingWords_MapToTheCodes()
    {
        var occupations = Occupations();
        occupations[0].National = "Shortage";
        occupations[0].States["NSW"] = "Regional Shortage";
        occupations[0].States["VIC"] = "Metropolitan Shortage";
        occupations[0].States["QLD"] = "No  Shortage";

        var first = Parse(OslEndpoints.Workbook(Year, occupations, OslLayout.Standard)).Occupations[0];

        Assert.Equal(("S", "R", "M", "NS"), (first.National, first.States["NSW"], first.States["VIC"], first.States["QLD"]));
    }

    [Fact]
    public void Parse_BlankRatingCell_IsRejectedNamingSheetRowAndColumn()
    {
        var occupations = Occupations();
        occupations[3].States["NSW"] = string.Empty;

        var error = Rejects(occupations);

        // Header on row 8, the fourth occupation on row 12; NSW is column D.
        Assert.Contains($"{Sheet} row 12 column D: blank rating", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownRating_IsRejectedWithTheValue()
    {
        var occupations = Occupations();
        occupations[1].National = "Shortish";

        var error = Rejects(occupations);

        Assert.Contains($"{Sheet} row 10 column C: rating 'Shortish'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownRatingInTheReshapedLayout_NamesTheMovedColumn()
    {
        var occupations = Occupations();
        occupations[0].States["ACT"] = "X";

        var error = Rejects(occupations, OslLayout.Reshaped);

        // Reshaped: title A, code B, NSW…ACT C…J.
        Assert.Contains($"{Sheet} row 9 column J: rating 'X'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("35141", "'35141'")] // five digits: padded to 035141, and there is no major group 0
    [InlineData("1351411", "'1351411'")]
    [InlineData("951411", "'951411'")] // major group 9 does not exist
    public void Parse_UnknownAnzscoCode_IsRejectedInTheCodeColumn(string code, string shown)
    {
        var occupations = Occupations();
        occupations[2] = Make(code, "Cook", "S", 3);

        var error = Rejects(occupations);

        Assert.Contains($"{Sheet} row 11 column A: {shown} is not a 6-digit occupation code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateCode_IsRejectedNamingBothRows()
    {
        var occupations = Occupations();
        occupations[3] = Make("233211", "Civil Engineer", "S", 1);

        var error = Rejects(occupations);

        Assert.Contains($"{Sheet} row 12 column A: occupation code 233211 again (first on row 10)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingRequiredColumn_IsRejectedNamingIt()
    {
        var error = Rejects(Occupations(), OslLayout.Drifted);

        Assert.Contains($"{Sheet} row 8: no national rating column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WorkbookWithoutTheOscaSheet_IsRejected()
    {
        var full = OslEndpoints.Workbook(Year, Occupations(), OslLayout.Standard);
        var anzscoOnly = XlsxWriter.Write("2025 OSL (ANZSCO 2022)", [["Occupation code (ANZSCO 2022)", "Occupation title", "National", "NSW"]]);

        var error = Assert.Throws<UpstreamFormatException>(() => Parse(anzscoOnly));

        Assert.Contains("no sheet '2025 OSL (OSCA 2024)'", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, Parse(full).Occupations.Count);
    }

    [Fact]
    public void Parse_ChartWorkbookInsteadOfTheList_IsRejectedNamingTheSheets()
    {
        var error = Assert.Throws<UpstreamFormatException>(() => Parse(OslEndpoints.ChartsWorkbook(Year)));

        Assert.Contains("no sheet named '<year> OSL (ANZSCO 2022)' (sheets: 'Chart 1')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OccupationAfterTheFootnotes_IsRejected()
    {
        string[] states = [.. WorldGenerator.StateColumns];
        object?[] header = ["Occupation code (ANZSCO 2022)", "Occupation title", "National", .. states];
        object?[] engineer = [233211, "Civil Engineer", "S", .. states.Select(_ => "S")];
        object?[] note = ["Source: Jobs and Skills Australia"];
        object?[] cook = [351411, "Cook", "S", .. states.Select(_ => "S")];
        var rows = new List<IReadOnlyList<object?>> { header, engineer, note, cook };
        var xlsx = XlsxWriter.Write([new XlsxSheet("2025 OSL (ANZSCO 2022)", rows), new XlsxSheet("2025 OSL (OSCA 2024)", rows)]);

        var error = Assert.Throws<UpstreamFormatException>(() => Parse(xlsx));

        Assert.Contains($"{Sheet} row 4 column A: an occupation row after the footnotes that start on row 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, null)]
    [InlineData("2", null)]
    [InlineData("2 - Professionals", null)]
    [InlineData("Professionals", null)]
    [InlineData("1 - Managers", "row 2 column L: major group '1 - Managers' does not match occupation code 233211")]
    [InlineData(3, "row 2 column L: major group '3' does not match occupation code 233211")]
    public void Parse_MajorGroup_ANumberOrLeadingNumberIsChecked_PlainTextIsNot(object group, string? error)
    {
        string[] states = [.. WorldGenerator.StateColumns];
        object?[] header = ["Occupation code (ANZSCO 2022)", "Occupation title", "National", .. states, OslEndpoints.MajorGroupHeader];
        object?[] engineer = [233211, "Civil Engineer", "S", .. states.Select(_ => "S"), group];
        var rows = new List<IReadOnlyList<object?>> { header, engineer };
        var xlsx = XlsxWriter.Write([new XlsxSheet("2025 OSL (ANZSCO 2022)", rows), new XlsxSheet("2025 OSL (OSCA 2024)", rows)]);

        if (error is null)
        {
            Assert.Equal(["233211", "233211"], Parse(xlsx).Occupations.Select(o => o.Code));
        }
        else
        {
            Assert.Contains($"{Sheet} {error}", Assert.Throws<UpstreamFormatException>(() => Parse(xlsx)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_NotAWorkbook_IsAFormatError()
    {
        var xlsx = OslEndpoints.Workbook(Year, Occupations(), OslLayout.Standard);

        Assert.Throws<UpstreamFormatException>(() => Parse(xlsx[..(xlsx.Length / 2)]));
        Assert.Throws<UpstreamFormatException>(() => Parse("<html>moved</html>"u8.ToArray()));
    }

    [Fact]
    public void Parse_Record_WritesItsSnapshotJson()
    {
        var record = Parse(OslEndpoints.Workbook(Year, Occupations(), OslLayout.Standard)).Occupations[2];

        Assert.Equal("occupation-shortage:anzsco-2022:351411", record.Key);
        Assert.Equal(
            """{"classification":"anzsco-2022","code":"351411","listYear":2025,"national":"NS","skillLevel":3,"states":{"ACT":"M","NSW":"S","NT":"NS","QLD":"NS","SA":"NS","TAS":"NS","VIC":"NS","WA":"NS"},"title":"Cook"}""",
            System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(record)));
    }

    private static List<string> Json(OccupationShortageList list) =>
        [.. list.Occupations.Select(o => System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(o)))];
}
