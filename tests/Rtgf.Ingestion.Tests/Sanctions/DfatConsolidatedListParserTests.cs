using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Sanctions;
using Rtgf.Ingestion.Tests.Support;

namespace Rtgf.Ingestion.Tests.Sanctions;

public sealed class DfatConsolidatedListParserTests
{
    internal static readonly object?[] Header =
    [
        "Reference", "Name of Individual or Entity", "Type", "Name Type", "Alias Strength", "Date of Birth", "Place of Birth", "Citizenship", "Address",
        "Additional Information", "Listing Information", "IMO Number", "Committees", "Control Date", "Instrument of Designation",
        "Targeted Financial Sanction", "Travel Ban", "Arms Embargo", "Maritime Restriction",
    ];

    internal static object?[][] Rows() =>
    [
        ["Consolidated List", null],
        ["Most recently updated on 1 March 2026", null],
        Header,
        ["101", "EXAMPLE PERSON", "Individual", "Primary Name", null, "01/01/1970", "Exampletown, Exampleland", "Examplelandian", null, "Passport no: X1234567", "Listed on 1 Jan 2020", null, "Exampleland", 45000d, "Autonomous Sanctions (Designated Persons) Instrument 2020", "1", "1", null, null],
        ["101a", "PERSON EXAMPLE", "Individual", "Alias", "Strong", "01/01/1970", "Exampletown, Exampleland", "Examplelandian", null, null, "Listed on 1 Jan 2020", null, "Exampleland", 45000d, null, "1", "1", null, null],
        ["101b", "ЭКЗАМПЛ", "Individual", "Original Script", null, null, null, null, null, null, null, null, "Exampleland", 45000d, null, null, null, null, null],
        ["9", "EXAMPLE SHIPPING CO", "Entity", "Primary Name", null, null, null, null, "1 Harbour Rd", null, "Listed on 5 May 2015", null, "UNSC 1718", "12/03/2021", null, "1", null, null, null],
    ];

    [Fact]
    public void Parse_ConsolidatedList_GroupsNamesIntoListings()
    {
        var list = DfatConsolidatedListParser.Parse(new MemoryStream(Xlsx.Build(Rows())));

        Assert.Equal(["sanction:9", "sanction:101"], list.Listings.Select(l => l.Key));
        var person = list.Listings[1];
        Assert.Equal("EXAMPLE PERSON", person.Name);
        Assert.Equal("Individual", person.Type);
        Assert.Equal(["PERSON EXAMPLE", "ЭКЗАМПЛ"], person.Aliases);
        Assert.Equal("01/01/1970", person.DateOfBirth);
        Assert.Equal("Examplelandian", person.Citizenship);
        Assert.Equal("Listed on 1 Jan 2020", person.ListingInformation);
        Assert.Equal("Exampleland", person.Committees);
        Assert.Equal(new DateOnly(2023, 3, 15), person.ControlDate);
        Assert.Equal("Entity", list.Listings[0].Type);
        Assert.Equal(new DateOnly(2021, 3, 12), list.Listings[0].ControlDate);
        Assert.Empty(list.Listings[0].Aliases);
    }

    [Fact]
    public void Parse_ConsolidatedList_WritesFixedMemberOrder()
    {
        var list = DfatConsolidatedListParser.Parse(new MemoryStream(Xlsx.Build(Rows())));

        var json = System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(list.Listings[0]));

        Assert.Equal("""{"aliases":[],"citizenship":null,"committees":"UNSC 1718","controlDate":"2021-03-12","dateOfBirth":null,"instrument":null,"listingInformation":"Listed on 5 May 2015","name":"EXAMPLE SHIPPING CO","placeOfBirth":null,"reference":"9","type":"Entity"}""", json);
    }

    [Fact]
    public void Parse_OlderLayoutWithoutOptionalColumns_StillReads()
    {
        var rows = Rows().Skip(2).Select(r => r.Take(14).ToArray()).ToArray();

        var list = DfatConsolidatedListParser.Parse(new MemoryStream(Xlsx.Build(rows)));

        Assert.Equal(2, list.Listings.Count);
        Assert.Null(list.Listings[1].Instrument);
    }

    [Fact]
    public void Parse_MissingRequiredColumn_ThrowsNamingIt()
    {
        var rows = Rows();
        rows[2] = [.. Header.Select(h => (object?)(Equals(h, "Type") ? "Kind" : h))];

        var error = Assert.Throws<UpstreamFormatException>(() => DfatConsolidatedListParser.Parse(new MemoryStream(Xlsx.Build(rows))));

        Assert.Contains("'Type'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoHeaderRow_Throws()
    {
        var error = Assert.Throws<UpstreamFormatException>(() => DfatConsolidatedListParser.Parse(new MemoryStream(Xlsx.Build(Rows().Take(2)))));

        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadReference_ThrowsWithTheValue()
    {
        var rows = Rows();
        rows[6][0] = "X-9";

        var error = Assert.Throws<UpstreamFormatException>(() => DfatConsolidatedListParser.Parse(new MemoryStream(Xlsx.Build(rows))));

        Assert.Contains("X-9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadControlDate_ThrowsWithTheValue()
    {
        var rows = Rows();
        rows[6][13] = "sometime";

        var error = Assert.Throws<UpstreamFormatException>(() => DfatConsolidatedListParser.Parse(new MemoryStream(Xlsx.Build(rows))));

        Assert.Contains("sometime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedWorkbook_ThrowsFormatError()
    {
        var xlsx = Xlsx.Build(Rows());

        Assert.Throws<UpstreamFormatException>(() => DfatConsolidatedListParser.Parse(new MemoryStream(xlsx[..(xlsx.Length / 2)])));
    }

    [Fact]
    public void Parse_NotAWorkbook_ThrowsFormatError()
    {
        Assert.Throws<UpstreamFormatException>(() => DfatConsolidatedListParser.Parse(new MemoryStream("<html>moved</html>"u8.ToArray())));
    }
}
