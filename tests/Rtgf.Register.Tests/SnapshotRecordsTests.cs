using System.Text;

namespace Rtgf.Register.Tests;

/// <summary>Record lines as the ingestion writers write them (canonical JSON, sorted members), read into the register's shapes.</summary>
public sealed class SnapshotRecordsTests
{
    private static readonly SnapshotLink Tga = new("tga", "sha256:" + new string('1', 64));

    private static SnapshotRecords Read(params string[] lines)
    {
        var records = new SnapshotRecords();
        records.Read(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))), Tga);
        return records;
    }

    [Fact]
    public void Rto_OfTodaysShape_HasNoContactsLocationsOrStates()
    {
        var rto = Assert.Single(Read("""{"abn":"12345678901","code":"90001","legalName":"Acme Pty Ltd","registrationEnd":null,"registrationManager":"ASQA","registrationStart":"2020-01-01","status":null,"tradingNames":["Acme Training"],"updatedDate":null}""").Rtos);

        Assert.Equal("90001", rto.Code);
        Assert.Equal(["Acme Training"], rto.TradingNames);
        Assert.Equal("2020-01-01", rto.RegistrationStart);
        Assert.Empty(rto.Contacts);
        Assert.Empty(rto.Locations);
        Assert.Empty(rto.States);
        Assert.Equal(Tga, rto.Snapshot);
    }

    [Fact]
    public void Rto_WithContactsAndLocations_ReadsThem_AndItsStatesAreItsLocationsDistinctStateCodes_NotItsContactsPostalStates()
    {
        const string Address = """{"countryCode":"AU","line1":"1 Main St","line2":null,"postcode":"2000","stateCode":"NSW","suburb":"Sydney"}""";
        var rto = Assert.Single(Read(
            $$"""{"abn":null,"code":"90002","contacts":[{"email":"a@example.org","firstName":"Ann","jobTitle":"CEO","lastName":"Lee","organisationName":"Acme","phone":"02 9999 0000","postalAddress":{"countryCode":"AU","line1":"PO Box 1","line2":null,"postcode":"3000","stateCode":"VIC","suburb":"Melbourne"},"roleCode":"CEO","typeCode":"1"},{"email":null,"firstName":null,"jobTitle":null,"lastName":null,"organisationName":null,"phone":null,"postalAddress":null,"roleCode":null,"typeCode":"2"}],"legalName":"Acme","locations":[{{Address}},{{Address}},{"countryCode":"AU","line1":null,"line2":null,"postcode":"4000","stateCode":"QLD","suburb":"Brisbane"}],"registrationEnd":null,"registrationManager":"ASQA","registrationStart":null,"status":"Current","tradingNames":[],"updatedDate":null}""").Rtos);

        Assert.Equal("Current", rto.Status);
        Assert.Equal(["NSW", "QLD"], rto.States);
        Assert.Equal(3, rto.Locations.Count);
        Assert.Equal("Sydney", rto.Locations[0].Suburb);
        Assert.Equal(2, rto.Contacts.Count);
        Assert.Equal("a@example.org", rto.Contacts[0].Email);
        Assert.Equal("VIC", rto.Contacts[0].PostalAddress?.StateCode);
        Assert.Null(rto.Contacts[1].PostalAddress);
    }

    [Fact]
    public void EveryKind_IsToldByItsMembers()
    {
        var records = Read(
            """{"componentCode":"BSB40120","componentTypes":["Qualification"],"decision":null,"endDate":null,"extent":"01","isImplicit":false,"isRefused":false,"organisationCode":"90001","startDate":"2021-01-01"}""",
            """{"code":"BSB40120","componentTypes":["Qualification"],"currency":"Current","parentCode":"BSB","releases":[{"currency":"Current","releaseDate":"2020-01-01","releaseNumber":"1","unitCodes":[]}],"status":"Current","supersededBy":[],"supersedes":["BSB40115"],"title":"Certificate IV in Business","updatedDate":null,"usageRecommendations":[{"endDate":null,"startDate":"2020-01-01","state":"Current"}]}""",
            """{"courseCode":"100002L","courseLevel":"Certificate I","courseName":"Cookery","durationWeeks":78,"estimatedTotalCost":"1.00","expired":false,"locations":["Campus"],"nonTuitionFee":null,"providerCode":"00149M","tuitionFee":null,"vetNationalCode":null}""",
            """{"capacity":10,"institutionName":"Sapphire","institutionType":"Private","postalCity":null,"postalPostcode":null,"postalState":"TAS","providerCode":"00149M","tradingName":null,"website":null}""",
            """{"city":"Hobart","locationName":"Campus","locationType":null,"postcode":"7000","providerCode":"00149M","state":"TAS"}""",
            """{"abn":null,"category":"University","courses":[{"renewalDate":null,"status":"Accredited","title":"Bachelor"}],"name":"Uni","providerId":"PRV12001","registrationExpiry":null,"selfAccreditingAuthority":null,"status":"Registered","website":null}""",
            """{"aliases":[],"listingInformation":null,"name":"X","reference":"1","type":"Entity"}""",
            """{"deletedAt":null,"key":"rto:1","operation":"delete"}""");

        Assert.Equal("90001", Assert.Single(records.Scope).Organisation);
        Assert.Equal(["BSB40115"], Assert.Single(records.Components).Supersedes);
        Assert.Equal(78, Assert.Single(records.CricosCourses).DurationWeeks);
        Assert.Equal(10, Assert.Single(records.CricosProviders).Capacity);
        Assert.Equal("Hobart", Assert.Single(records.CricosLocations).Location.City);
        Assert.Equal("Bachelor", Assert.Single(Assert.Single(records.TeqsaProviders).Courses).Title);
        Assert.Equal(1, records.Sanctions);
        Assert.Equal(1, records.Tombstones);
        Assert.Empty(records.Rtos);
    }

    [Theory]
    [InlineData("""{"unexpected":1}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"code":"X","releases":[],"title":null,"status":"Current"}""")]
    [InlineData("""not json""")]
    [InlineData("""{"classification":"anzsco-2022","code":"351411","listYear":2025,"national":"S","skillLevel":3,"title":"Cook"}""")]
    [InlineData("""{"code":"3514","level":4,"points":[{"month":"2025-01-01","value":"many"}],"series":"s","state":"AUST","title":"Chefs"}""")]
    [InlineData("""{"code":"3514","level":4,"points":[{"month":"2025-01-01","value":1e40}],"series":"s","state":"AUST","title":"Chefs"}""")]
    [InlineData("""{"dataflow":"ABS,LF,1.0.0","measure":"m","observations":[],"seriesKey":"k","state":"AUS"}""")]
    public void ALineTheRegisterCannotRead_IsAFormatErrorNamingIt(string line)
    {
        var error = Assert.Throws<FormatException>(() => Read("""{"aliases":[],"name":"X","reference":"1","type":"Entity"}""", line));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }
}
