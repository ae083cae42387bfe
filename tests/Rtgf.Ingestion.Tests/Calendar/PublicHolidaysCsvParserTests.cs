using System.Text;
using Rtgf.Ingestion.Calendar;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Tests.Calendar;

public sealed class PublicHolidaysCsvParserTests
{
    private const string Resource = "australian_public_holidays_2025.csv (resource r-2025)";

    private static IReadOnlyList<CalendarDateRecord> Parse(string csv) =>
        PublicHolidaysCsvParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Resource);

    private static UpstreamFormatException Fails(string csv) => Assert.Throws<UpstreamFormatException>(() => Parse(csv));

    [Fact]
    public void CurrentLayout_OneRowPerState_AnyCaseCode_KeepsNameInformationAndLink()
    {
        var records = Parse(
            "\uFEFFDate,Holiday Name,Information,More Information,Jurisdiction\r\n" +
            "20250127,Australia Day,Always celebrated on 26 January,https://www.nationalaustraliaday.com.au/,nsw\r\n" +
            "20250127,Australia Day,Always celebrated on 26 January,,VIC\r\n");

        Assert.Equal(["holiday:NSW:2025-01-27", "holiday:VIC:2025-01-27"], records.Select(r => r.Key));
        var nsw = records[0];
        Assert.Equal(("holiday", new DateOnly(2025, 1, 27), "NSW", "Australia Day", "Always celebrated on 26 January", "https://www.nationalaustraliaday.com.au/"),
            (nsw.Kind, nsw.Date, nsw.Jurisdiction, nsw.Title, nsw.Information, nsw.Source));
        Assert.Null(records[1].Source);
        Assert.Equal(
            """{"date":"2025-01-27","effectiveFrom":null,"information":"Always celebrated on 26 January","jurisdiction":"VIC","kind":"holiday","source":null,"title":"Australia Day"}""",
            Encoding.UTF8.GetString(SnapshotJson.ToUtf8(records[1])));
    }

    [Fact]
    public void OldLayout_ApplicableToAndRawDate_NatMeansEveryState_HeadersInAnyOrderAndCase()
    {
        var records = Parse(
            "date,Raw Date,holiday name,INFORMATION,More Information,Applicable To\r\n" +
            "20190101,1/01/2019 0:00,New Year's Day,,,NAT\r\n" +
            "20190610,10/06/2019 0:00,Queen's Birthday,,,NSW\r\n" +
            "20191226,26/12/2019 0:00,Boxing Day,,,national\r\n");

        Assert.Equal(17, records.Count);
        Assert.Equal(CalendarDateRecord.States.Order(StringComparer.Ordinal), records.Where(r => r.Date == new DateOnly(2019, 1, 1)).Select(r => r.Jurisdiction));
        Assert.Equal("NSW", Assert.Single(records, r => r.Title == "Queen's Birthday").Jurisdiction);
        Assert.Equal(8, records.Count(r => r.Title == "Boxing Day"));
    }

    [Theory]
    [InlineData("2025-01-27", "'2025-01-27' is not a date in the form YYYYMMDD.")]
    [InlineData("20250230", "'20250230' is not a date in the form YYYYMMDD.")]
    [InlineData("", "empty date.")]
    public void BadDate_NamesResourceRowAndColumn(string date, string problem)
    {
        var error = Fails($"Date,Holiday Name,Information,More Information,Jurisdiction\r\n20250101,New Year's Day,,,nsw\r\n{date},Australia Day,,,nsw\r\n");

        Assert.Equal($"Holidays resource {Resource}, row 3, column 'Date': {problem}", error.Message);
    }

    [Theory]
    [InlineData("Jurisdiction", "nz", "unknown jurisdiction 'nz'")]
    [InlineData("Applicable To", "NSW|VIC", "unknown jurisdiction 'NSW|VIC'")]
    [InlineData("Jurisdiction", "", "empty jurisdiction.")]
    public void UnknownJurisdiction_NamesTheColumnTheFileUses(string column, string value, string problem)
    {
        var error = Fails($"Date,Holiday Name,{column}\r\n20250101,New Year's Day,{value}\r\n");

        Assert.StartsWith($"Holidays resource {Resource}, row 2, column '{column}': {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameRowTwice_IsKeptOnce_DifferentHolidaysOnOneDayAndState_IsAnError()
    {
        const string Header = "Date,Holiday Name,Information,More Information,Jurisdiction\r\n";
        var twice = Parse(Header + "20250101,New Year's Day,,,nsw\r\n20250101,New Year's Day,,,NSW\r\n");
        var error = Fails(Header + "20250101,New Year's Day,,,nsw\r\n20250101,Hangover Day,,,nsw\r\n");

        Assert.Single(twice);
        Assert.Equal($"Holidays resource {Resource}, row 3, column 'Jurisdiction': NSW has two different holidays on 2025-01-01 ('New Year's Day' on row 2, 'Hangover Day' here).", error.Message);
    }

    [Fact]
    public void MissingColumns_AndAnEmptyName_AreFormatErrors_ANonUrlLinkIsNoLink()
    {
        var columns = Fails("Date,Name,State\r\n20250101,New Year's Day,nsw\r\n");
        var name = Fails("Date,Holiday Name,Jurisdiction\r\n20250101,,nsw\r\n");
        var link = Parse("Date,Holiday Name,More Information,Jurisdiction\r\n20250101,New Year's Day,see the website,nsw\r\n20250127,Australia Day,ftp://x/y,nsw\r\n");

        Assert.Equal($"Holidays resource {Resource}: no column 'Holiday Name', 'Jurisdiction' or 'Applicable To' (columns found: 'Date', 'Name', 'State').", columns.Message);
        Assert.EndsWith("row 2, column 'Holiday Name': empty holiday name.", name.Message, StringComparison.Ordinal);
        Assert.Equal([("holiday:NSW:2025-01-01", (string?)null), ("holiday:NSW:2025-01-27", null)], link.Select(r => (r.Key, r.Source)));
    }

    [Theory]
    [InlineData("20250101,New Year's Day (observed),,,national\r\n20250101,New Year's Day,,,nsw\r\n")]
    [InlineData("20250101,New Year's Day,,,nsw\r\n20250101,New Year's Day (observed),,,national\r\n")]
    public void NationalRowAndAStatesOwnRow_DifferentNames_TheStatesRowWins_InEitherOrder(string rows)
    {
        var records = Parse("Date,Holiday Name,Information,More Information,Jurisdiction\r\n" + rows);

        Assert.Equal(CalendarDateRecord.States.Count, records.Count);
        Assert.Equal("New Year's Day", records.Single(r => r.Jurisdiction == "NSW").Title);
        Assert.All(records.Where(r => r.Jurisdiction != "NSW"), r => Assert.Equal("New Year's Day (observed)", r.Title));
    }

    [Fact]
    public void InvalidUtf8_IsAFormatErrorNamingTheResource()
    {
        var bytes = Encoding.UTF8.GetBytes("Date,Holiday Name,Jurisdiction\r\n20250101,New Year's Day,nsw\r\n20250127,Australia Day ").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes(",nsw\r\n")).ToArray();

        var error = Assert.Throws<UpstreamFormatException>(() => PublicHolidaysCsvParser.Parse(new MemoryStream(bytes), Resource));

        Assert.StartsWith($"Holidays resource {Resource} is not UTF-8 text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RaggedRow_IsNotValidCsv()
    {
        var error = Fails("Date,Holiday Name,Jurisdiction\r\n20250101,New Year's Day\r\n");

        Assert.StartsWith($"Holidays resource {Resource} is not valid CSV", error.Message, StringComparison.Ordinal);
    }
}
