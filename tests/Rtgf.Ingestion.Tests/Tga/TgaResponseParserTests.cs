using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Ingestion.Tga;

namespace Rtgf.Ingestion.Tests.Tga;

public sealed class TgaResponseParserTests
{
    [Fact]
    public void ParseComponentDetails_DocumentedResponse_NormalisesTheComponent()
    {
        var record = TgaResponseParser.ParseComponentDetails(Fixture.Stream(Fixture.Text("tga-component-details.xml")));

        Assert.Equal("component:BSB40120", record.Key);
        Assert.Equal(["Qualification"], record.ComponentTypes);
        Assert.Equal("Certificate IV in Business", record.Title);
        Assert.Equal("Current", record.Status);
        Assert.Equal("Current", record.Currency);
        Assert.Equal("BSB", record.ParentCode);
        Assert.Equal(["1", "2"], record.Releases.Select(r => r.ReleaseNumber));
        Assert.Equal(new DateOnly(2020, 6, 2), record.Releases[0].ReleaseDate);
        Assert.Equal(["BSBCRT411", "BSBXCM401"], record.Releases[1].UnitCodes);
        Assert.Equal(["BSB40215"], record.Supersedes);
        Assert.Equal(["BSB40125"], record.SupersededBy);
        Assert.Equal(new DateTimeOffset(2025, 2, 11, 13, 14, 0, TimeSpan.FromHours(10)), record.UpdatedDate);
        Assert.Equal(TimeSpan.FromHours(10), record.UpdatedDate!.Value.Offset);
    }

    [Fact]
    public void ParseComponentDetails_DocumentedResponse_WritesMembersInSortedOrder()
    {
        var record = TgaResponseParser.ParseComponentDetails(Fixture.Stream(Fixture.Text("tga-component-details.xml")));

        var json = System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(record));

        Assert.StartsWith("""{"code":"BSB40120","componentTypes":["Qualification"],"currency":"Current","parentCode":"BSB","releases":[{"currency":"Superseded","releaseDate":"2020-06-02","releaseNumber":"1","unitCodes":["BSBXCM401"]}""", json, StringComparison.Ordinal);
        Assert.EndsWith(""","updatedDate":"2025-02-11T13:14:00+10:00","usageRecommendations":[{"endDate":"2021-03-14","startDate":"2020-06-02","state":"Superseded"},{"endDate":null,"startDate":"2021-03-15","state":"Current"}]}""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseOrganisationDetails_RtoSubtype_NormalisesRtoAndScope()
    {
        var details = TgaResponseParser.ParseOrganisationDetails(Fixture.Stream(Fixture.Text("tga-organisation-details.xml")));

        var rto = details.Rto;
        Assert.Equal("rto:90001", rto.Key);
        Assert.Equal("Example Training Pty Ltd", rto.LegalName);
        Assert.Equal("12345678901", rto.Abn);
        Assert.Equal(["Another Example Academy", "Example College"], rto.TradingNames);
        Assert.Equal("Current", rto.Status);
        Assert.Equal("ASQA", rto.RegistrationManager);
        Assert.Equal(new DateOnly(2022, 7, 1), rto.RegistrationStart);
        Assert.Equal(new DateOnly(2029, 6, 30), rto.RegistrationEnd);
        Assert.Equal(["scope:90001:BSB40120", "scope:90001:BSBCRT411"], details.Scopes.Select(s => s.Key));
        Assert.Equal("01", details.Scopes[0].Extent);
        Assert.Equal("Granted", details.Scopes[0].Decision);
        Assert.Null(details.Scopes[0].EndDate);
        Assert.Equal(new DateOnly(2024, 1, 1), details.Scopes[1].EndDate);
    }

    [Fact]
    public void ParseOrganisationDetails_ContactsAndLocations_KeepsCurrentOnesInCanonicalOrder()
    {
        var details = TgaResponseParser.ParseOrganisationDetails(Fixture.Stream(Fixture.Text("tga-organisation-details.xml")));

        var json = System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(details.Rto));

        // Ended rows (the former CEO, the closed Brisbane site) are dropped; xsi:type subtypes and their extra members are
        // read as the base type; text is trimmed, empty text is null; each list is sorted by its items' canonical JSON.
        Assert.Contains(
            "\"contacts\":["
            + """{"email":"ceo@example.edu.au","firstName":"Carla","jobTitle":"Chief Executive Officer","lastName":"Chief","organisationName":"Example Training Pty Ltd","phone":null,"postalAddress":null,"roleCode":"ChiefExecutive","typeCode":"1"},"""
            + """{"email":"registrar@example.edu.au","firstName":"Rita","jobTitle":null,"lastName":"Registrar","organisationName":"Example Training Pty Ltd","phone":"02 9111 1111","postalAddress":{"countryCode":"1101","line1":"PO Box 42","line2":null,"postcode":"2001","stateCode":"NSW","suburb":"Sydney"},"roleCode":"RegistrationContact","typeCode":"2"}],""",
            json,
            StringComparison.Ordinal);
        Assert.Contains(
            "\"locations\":["
            + """{"countryCode":"1101","line1":"10 Collins Street","line2":"Level 3","postcode":"3000","stateCode":"VIC","suburb":"Melbourne"},"""
            + """{"countryCode":"1101","line1":"5 George Street","line2":null,"postcode":"2000","stateCode":"NSW","suburb":"Sydney"}],""",
            json,
            StringComparison.Ordinal);
        Assert.Equal(2, details.Rto.Contacts.Count);
        Assert.Equal(2, details.Rto.Locations.Count);
    }

    [Fact]
    public void RtoRecord_ContactsInAnyOrderOrRepeated_WritesTheSameBytes()
    {
        var a = new RtoAddress("1101", "1 A St", null, "2000", "NSW", "Sydney");
        var b = new RtoAddress("1101", "2 B St", null, "3000", "VIC", "Melbourne");
        var contact = new RtoContact("x@example.edu.au", "X", null, "Y", "Org", null, a, "ChiefExecutive", "1");
        var record = new RtoRecord("90001", "Org", null, [], "Current", "ASQA", null, null, null);

        var forward = SnapshotJson.ToUtf8(record with { Contacts = [contact], Locations = [a, b] });
        var backward = SnapshotJson.ToUtf8(record with { Contacts = [contact, contact], Locations = [b, a, b] });

        Assert.Equal(forward, backward);
        Assert.NotEqual(forward, SnapshotJson.ToUtf8(record with { Contacts = [contact], Locations = [a] }));
    }

    [Fact]
    public void ParseOrganisationDetails_UnversionedRtoWithoutStatus_LeavesStatusNull()
    {
        // The 2011 service's Rto has no RegistrationStatus: nothing is derived in its place.
        var xml = Fixture.Text("tga-organisation-details.xml")
            .Replace("<RegistrationStatus>Current</RegistrationStatus>", string.Empty, StringComparison.Ordinal)
            .Replace("i:type=\"Rto3\"", "i:type=\"Rto\"", StringComparison.Ordinal);

        var details = TgaResponseParser.ParseOrganisationDetails(Fixture.Stream(xml));

        Assert.Null(details.Rto.Status);
        Assert.Equal(new DateOnly(2029, 6, 30), details.Rto.RegistrationEnd);
    }

    [Fact]
    public void ParseComponentSearch_SubtypedSummaries_ReadsMisspeltUsageAndTypeList()
    {
        var xml = TgaXml.ComponentSearchPage("SearchByModifiedDate", 7, 1, 2, "BSB40120", "BSBXCM401");

        var page = TgaResponseParser.ParseComponentSearch(Fixture.Stream(xml), "SearchByModifiedDate");

        Assert.Equal(7, page.Count);
        Assert.Equal(["BSB40120", "BSBXCM401"], page.Items.Select(i => i.Code));
        Assert.Equal("Current", page.Items[0].UsageRecommendation);
        Assert.Equal(["Qualification", "Unit"], page.Items[0].ComponentTypes);
    }

    [Fact]
    public void ParseDeleted_DeletedComponents_ReadsCodesAndOperation()
    {
        var deleted = TgaResponseParser.ParseDeleted(Fixture.Stream(Fixture.Text("tga-deleted.xml")));

        var entry = Assert.Single(deleted);
        Assert.Equal("BSB99999", entry.Code);
        Assert.Equal("LogicalDelete", entry.Operation);
    }

    [Fact]
    public void ParseComponentDetails_Fault_ThrowsTypedFaultWithCodeReasonAndErrors()
    {
        var fault = Assert.Throws<TgaSoapFaultException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(Fixture.Text("tga-fault.xml"))));

        Assert.Equal("s:Client", fault.FaultCode);
        Assert.Equal("The request is invalid.", fault.Reason);
        var error = Assert.Single(fault.Errors);
        Assert.Equal("TC001", error.Code);
        Assert.Equal("NotFound", error.SubCode);
        Assert.Contains("NOPE1", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_Soap12Fault_ThrowsTypedFault()
    {
        const string xml = """<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang="en">At least one security token could not be validated.</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>""";

        var fault = Assert.Throws<TgaSoapFaultException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml)));

        Assert.Equal("s:Sender", fault.FaultCode);
        Assert.Contains("security token", fault.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_Truncated_ThrowsFormatError()
    {
        var xml = Fixture.Text("tga-component-details.xml");

        var error = Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml[..(xml.Length / 2)])));

        Assert.Contains("GetDetails", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_CutAfterTheResult_ThrowsFormatError()
    {
        var xml = Fixture.Text("tga-component-details.xml");
        var cut = xml[..(xml.IndexOf("</GetDetailsResponse>", StringComparison.Ordinal) + "</GetDetailsResponse>".Length)];

        Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(cut)));
    }

    [Fact]
    public void ParseComponentDetails_Malformed_ThrowsFormatErrorWithPosition()
    {
        var xml = Fixture.Text("tga-component-details.xml").Replace("<Title>Certificate IV in Business</Title>", "<Title>Certificate IV in Business</Titel>", StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml)));

        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_MissingCode_ThrowsFormatErrorNamingIt()
    {
        var xml = Fixture.Text("tga-component-details.xml").Replace("<Code>BSB40120</Code>\n        <CompletionMapping/>", "<CompletionMapping/>", StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml)));

        Assert.Contains("<Code>", error.Message, StringComparison.Ordinal);
        Assert.Contains("TrainingComponent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_DateTimeOffsetWithoutOffset_ThrowsFormatError()
    {
        var xml = Fixture.Text("tga-component-details.xml").Replace("<a:DateTime>2025-02-11T03:14:00Z</a:DateTime><a:OffsetMinutes>600</a:OffsetMinutes>", "<a:DateTime>2025-02-11T03:14:00Z</a:DateTime>", StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml)));

        Assert.Contains("UpdatedDate", error.Message, StringComparison.Ordinal);
        Assert.Contains("OffsetMinutes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_ElementsWhereTextBelongs_ThrowsFormatError()
    {
        var xml = Fixture.Text("tga-component-details.xml").Replace("<Title>Certificate IV in Business</Title>\n        <UpdatedDate>", "<Title><Text>Certificate IV</Text></Title>\n        <UpdatedDate>", StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml)));

        Assert.Contains("<Title>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_BadDate_ThrowsFormatErrorWithValue()
    {
        var xml = Fixture.Text("tga-component-details.xml").Replace("<ReleaseDate>2021-03-15</ReleaseDate>", "<ReleaseDate>15/03/2021</ReleaseDate>", StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml)));

        Assert.Contains("15/03/2021", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_WrongOperationInBody_ThrowsFormatError()
    {
        var xml = TgaXml.ComponentSearchPage("Search", 1, 1, 10, "BSB40120");

        var error = Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml)));

        Assert.Contains("GetDetailsResponse", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentSearch_NoCount_ThrowsFormatError()
    {
        var xml = TgaXml.Envelope("Search", "<PageNumber>1</PageNumber><Results/>");

        var error = Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentSearch(Fixture.Stream(xml), "Search"));

        Assert.Contains("Count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_NilResult_ThrowsFormatError()
    {
        var xml = TgaXml.Envelope("GetDetails", string.Empty).Replace("<GetDetailsResult ", "<GetDetailsResult i:nil=\"true\" ", StringComparison.Ordinal);

        Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml)));
    }

    private static string WithClassifications(string classifications) =>
        Fixture.Text("tga-component-details.xml").Replace("<Classifications i:nil=\"true\"/>", "<Classifications>" + classifications + "</Classifications>", StringComparison.Ordinal);

    private static string Classification(string? purpose, string? scheme, string? value, string? end = null) =>
        "<Classification><ActionOnEntity>None</ActionOnEntity>"
        + (end is null ? "<EndDate i:nil=\"true\"/>" : $"<EndDate>{end}</EndDate>")
        + "<StartDate>2020-06-02</StartDate>"
        + (purpose is null ? string.Empty : $"<PurposeCode>{purpose}</PurposeCode>")
        + (scheme is null ? string.Empty : $"<SchemeCode>{scheme}</SchemeCode>")
        + (value is null ? string.Empty : $"<ValueCode>{value}</ValueCode>")
        + "</Classification>";

    [Fact]
    public void ParseComponentDetails_AnEndDatedClassification_KeepsItsEndDate_AndOnlyItWritesOne()
    {
        var xml = WithClassifications(Classification("1", "01", "351411", end: "2025-06-30") + Classification("1", "01", "351311"));

        var record = TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml));

        Assert.Equal([new ClassificationRecord("01", "351311", "1"), new ClassificationRecord("01", "351411", "1", new DateOnly(2025, 6, 30))], record.Classifications);
        Assert.StartsWith(
            """{"classifications":[{"purpose":"1","scheme":"01","value":"351311"},{"endDate":"2025-06-30","purpose":"1","scheme":"01","value":"351411"}],""",
            System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(record)),
            StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_NilClassifications_NoneAndTheRecordKeepsItsBytes()
    {
        var record = TgaResponseParser.ParseComponentDetails(Fixture.Stream(Fixture.Text("tga-component-details.xml")));

        Assert.Empty(record.Classifications);
        Assert.DoesNotContain("classifications", System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(record)), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseComponentDetails_Classifications_SortedDistinctAndWrittenFirst()
    {
        var xml = WithClassifications(
            Classification("1", "05", "514") + Classification("1", "01", "511112") + Classification(null, "03", "080301") + Classification("1", "01", "511112"));

        var record = TgaResponseParser.ParseComponentDetails(Fixture.Stream(xml));

        Assert.Equal(
            [new ClassificationRecord("01", "511112", "1"), new ClassificationRecord("03", "080301", null), new ClassificationRecord("05", "514", "1")],
            record.Classifications);
        Assert.Equal("511112", record.Classifications.Single(c => c.Scheme == ClassificationRecord.AnzscoScheme).Value);
        Assert.StartsWith(
            """{"classifications":[{"purpose":"1","scheme":"01","value":"511112"},{"purpose":null,"scheme":"03","value":"080301"},{"purpose":"1","scheme":"05","value":"514"}],"code":"BSB40120",""",
            System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(record)),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "511112", "<SchemeCode>")]
    [InlineData("01", null, "<ValueCode>")]
    public void ParseComponentDetails_ClassificationWithoutSchemeOrValue_ThrowsNamingTheElement(string? scheme, string? value, string element)
    {
        var error = Assert.Throws<UpstreamFormatException>(() => TgaResponseParser.ParseComponentDetails(Fixture.Stream(WithClassifications(Classification("1", scheme, value)))));

        Assert.Contains("<Classification>", error.Message, StringComparison.Ordinal);
        Assert.Contains(element, error.Message, StringComparison.Ordinal);
    }
}
