using System.Text;
using Rtgf.Compiler.Input;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Compiler.Tests.Input;

public sealed class SnapshotParserTests
{
    private const string GoodScope =
        """{"componentCode":"BSB40120","componentTypes":["Qualification"],"decision":null,"endDate":null,"extent":"01","isImplicit":false,"isRefused":false,"organisationCode":"90001","startDate":"2020-02-01"}""";

    private static Snapshot Raw(string source, params string[] lines)
    {
        var records = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        var manifest = new SnapshotManifest(source, "run-raw", GoldenCorpus.TgaFetchedAt, lines.Length, SnapshotBuilder.DigestOf(records), []);
        return new Snapshot(manifest, manifest.ToCanonicalJson(), records);
    }

    private static CompilerInputException Fails(Snapshot snapshot) =>
        Assert.Throws<CompilerInputException>(() => new TokenCompiler(GoldenCorpus.Matrix).Compile([snapshot], GoldenCorpus.Issuer));

    [Fact]
    public void Parse_GoldenTga_ReadsEveryKind()
    {
        var tga = GoldenCorpus.Snapshots().Single(s => s.Manifest.Source == "tga");
        var records = SnapshotParser.Parse(tga, GoldenCorpus.Matrix.SourcePolicies.Single(s => s.Name == "tga"));
        Assert.Equal(4, records.Rtos.Count);
        Assert.Equal(7, records.Scope.Count);
        Assert.Equal(3, records.Components.Count);
        Assert.Equal(1, records.Other); // the tombstone: checked, counted, no token
        var rto = records.Rtos.Single(r => r.Code == "90001");
        Assert.Equal(["Acme Skills", "ACME Academy"], rto.TradingNames); // as the record holds them; tokens sort
        Assert.Equal("2027-01-01", rto.RegistrationEnd);
    }

    private const string RtoBase =
        """{"abn":null,"code":"90009",CONTACTS"legalName":"L",LOCATIONS"registrationEnd":null,"registrationManager":null,"registrationStart":null,"status":"Cancelled","tradingNames":[],"updatedDate":null}""";

    private static string Rto(string contacts, string locations) =>
        RtoBase.Replace("CONTACTS", contacts, StringComparison.Ordinal).Replace("LOCATIONS", locations, StringComparison.Ordinal);

    [Theory]
    [InlineData("", "")] // a snapshot cut before contacts and locations were ingested: same compilerInputVersion, still read
    [InlineData("\"contacts\":[],", "\"locations\":[],")]
    [InlineData(
        "\"contacts\":[{\"email\":\"a@b.example\",\"firstName\":\"A\",\"jobTitle\":null,\"lastName\":\"B\",\"organisationName\":\"L\",\"phone\":null,\"postalAddress\":{\"countryCode\":\"1101\",\"line1\":\"PO Box 1\",\"line2\":null,\"postcode\":\"2001\",\"stateCode\":\"NSW\",\"suburb\":\"Sydney\"},\"roleCode\":\"ChiefExecutive\",\"typeCode\":\"1\"},{\"email\":null,\"firstName\":null,\"jobTitle\":null,\"lastName\":null,\"organisationName\":null,\"phone\":null,\"postalAddress\":null,\"roleCode\":null,\"typeCode\":null}],",
        "\"locations\":[{\"countryCode\":\"1101\",\"line1\":\"1 George St\",\"line2\":null,\"postcode\":\"2000\",\"stateCode\":\"NSW\",\"suburb\":\"Sydney\"}],")]
    public void Parse_RtoWithOrWithoutContactsAndLocations_ReadsTheRegistration(string contacts, string locations)
    {
        var records = SnapshotParser.Parse(Raw("tga", Rto(contacts, locations)), GoldenCorpus.Matrix.SourcePolicies.Single(s => s.Name == "tga"));

        var rto = Assert.Single(records.Rtos);
        Assert.Equal("90009", rto.Code);
        Assert.Equal("Cancelled", rto.Status);
    }

    [Theory]
    [InlineData("\"contacts\":[{\"email\":\"a@b.example\",\"fax\":null}],", "\"locations\":[],", "unknown member 'fax' in a 'rto contact' record")]
    [InlineData("\"contacts\":[{\"email\":1}],", "\"locations\":[],", "'contacts.email' must be a string or null")]
    [InlineData("\"contacts\":[{\"postalAddress\":\"PO Box 1\"}],", "\"locations\":[],", "'contacts.postalAddress' must be an address object or null")]
    [InlineData("\"contacts\":{},", "\"locations\":[],", "'contacts' must be an array")]
    [InlineData("\"contacts\":[],", "\"locations\":[\"Sydney\"],", "'locations' must be an array of objects")]
    [InlineData("\"contacts\":[],", "\"locations\":[{\"stateOverseas\":null}],", "unknown member 'stateOverseas' in a 'rto address' record")]
    [InlineData("\"contacts\":[],", "\"locations\":[{\"stateCode\":[\"NSW\"]}],", "'locations.stateCode' must be a string or null")]
    public void Compile_MalformedContactsOrLocations_ThrowsNamingTheMember(string contacts, string locations, string expected)
    {
        var error = Fails(Raw("tga", Rto(contacts, locations)));
        Assert.Equal("rto:90009", error.Key);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_BadDate_NamesSourceLineKeyAndMember()
    {
        var error = Fails(Raw("tga", GoodScope, GoodScope.Replace("BSB40120", "BSB50120", StringComparison.Ordinal).Replace("2020-02-01", "2020-13-45", StringComparison.Ordinal)));
        Assert.Equal("tga", error.Source);
        Assert.Equal(2, error.Line);
        Assert.Equal("scope:90001:BSB50120", error.Key);
        Assert.Contains("'startDate'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Snapshot 'tga' line 2 (record scope:90001:BSB50120)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_NotJson_NamesTheLine()
    {
        var error = Fails(Raw("tga", GoodScope, "{\"abn\":"));
        Assert.Equal(2, error.Line);
        Assert.Null(error.Key);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"componentCode":"X","colour":"red"}""", "unknown member 'colour'")]
    [InlineData("""{"componentCode":"X","componentTypes":[],"decision":null,"endDate":null,"extent":"01","isImplicit":"no","isRefused":false,"organisationCode":"9","startDate":null}""", "'isImplicit' must be true or false")]
    [InlineData("""{"componentCode":"X","componentTypes":[],"decision":null,"endDate":null,"extent":"01","isImplicit":false,"isRefused":false,"startDate":null}""", "needs member 'organisationCode'")]
    [InlineData("""{"aliases":[],"name":"X","reference":"1","type":"Entity"}""", "a 'sanction' record is not one the policy matrix assigns")]
    [InlineData("""{"zebra":1}""", "of no known kind")]
    [InlineData("""[1,2]""", "one JSON object")]
    [InlineData("""{}""", "empty object")]
    [InlineData("""{"code":"BSB1","componentTypes":[],"currency":null,"parentCode":null,"releases":[{"releaseNumber":1}],"status":"Current","supersededBy":[],"supersedes":[],"title":"T","updatedDate":null,"usageRecommendations":[]}""", "'releases.releaseNumber' must be a string")]
    public void Compile_MalformedRecord_ThrowsNamingTheProblem(string line, string expected)
    {
        var error = Fails(Raw("tga", line));
        Assert.Equal(1, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_RecordsNotMatchingManifestDigest_Throws()
    {
        var good = Raw("tga", GoodScope);
        var tampered = new Snapshot(good.Manifest, good.ManifestJson, Encoding.UTF8.GetBytes(GoodScope.Replace("\"01\"", "\"02\"", StringComparison.Ordinal) + "\n"));
        var error = Fails(tampered);
        Assert.Contains("does not match the manifest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_WrongCompilerInputVersion_Throws()
    {
        var good = Raw("tga", GoodScope);
        var manifest = good.Manifest with { CompilerInputVersion = 2 };
        var error = Fails(new Snapshot(manifest, manifest.ToCanonicalJson(), good.Records));
        Assert.Contains("compilerInputVersion 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_LineCountNotMatchingManifest_Throws()
    {
        var good = Raw("tga", GoodScope);
        var manifest = good.Manifest with { RecordCount = 2 };
        var error = Fails(new Snapshot(manifest, manifest.ToCanonicalJson(), good.Records));
        Assert.Contains("the manifest says 2", error.Message, StringComparison.Ordinal);
    }

    private const string Component =
        """{CLASSIFICATIONS"code":"BSB40120","componentTypes":["Qualification"],"currency":"Current","parentCode":"BSB","releases":[],"status":"Current","supersededBy":[],"supersedes":[],"title":"Certificate IV in Business","updatedDate":null,"usageRecommendations":[]}""";

    private const string Cook =
        """{"classification":"anzsco-2022","code":"351411","listYear":2025,"national":"S","skillLevel":3,"states":{"ACT":"NS","NSW":"S","NT":"S","QLD":"S","SA":"R","TAS":"S","VIC":"S","WA":"S"},"title":"Cook"}""";

    private const string Chefs =
        """{"code":"3513","level":4,"points":[{"month":"2025-04-01","value":790.7},{"month":"2025-05-01","value":812.3}],"series":"anzsco4-3mma","state":"VIC","title":"Chefs"}""";

    private const string Employed =
        """{"dataflow":"ABS,LF,1.0.0","measure":"Employed total","observations":[{"period":"2025-04","status":"r","value":14623.1}],"seriesKey":"M3.3.1599.20.AUS.M","state":"AUS","unit":"Thousands of persons"}""";

    private static SourceRecords Parse(string source, params string[] lines) =>
        SnapshotParser.Parse(Raw(source, lines), GoldenCorpus.Matrix.SourcePolicies.Single(s => s.Name == source));

    [Theory]
    [InlineData("")] // a component written before classifications were ingested keeps its shape
    [InlineData("\"classifications\":[],")]
    [InlineData("\"classifications\":[{\"purpose\":\"1\",\"scheme\":\"01\",\"value\":\"351411\"},{\"purpose\":null,\"scheme\":\"05\",\"value\":\"514\"}],")]
    [InlineData("\"classifications\":[{\"endDate\":\"2025-06-30\",\"purpose\":\"1\",\"scheme\":\"01\",\"value\":\"351411\"}],")] // end-dated (replaced)
    public void Parse_ComponentWithOrWithoutClassifications_ReadsTheComponent(string classifications)
    {
        var records = Parse("tga", Component.Replace("CLASSIFICATIONS", classifications, StringComparison.Ordinal));
        var component = Assert.Single(records.Components);
        Assert.Equal("BSB40120", component.Code);
    }

    [Theory]
    [InlineData("\"classifications\":[{\"purpose\":\"1\",\"scheme\":1,\"value\":\"351411\"}],", "'classifications.scheme' must be a string")]
    [InlineData("\"classifications\":[{\"purpose\":\"1\",\"scheme\":\"01\"}],", "a 'component classification' record needs member 'value'")]
    [InlineData("\"classifications\":[{\"purpose\":\"1\",\"scheme\":\"01\",\"value\":\"351411\",\"primary\":true}],", "unknown member 'primary' in a 'component classification' record")]
    [InlineData("\"classifications\":\"01\",", "'classifications' must be an array")]
    [InlineData("\"classifications\":[{\"endDate\":\"30/06/2025\",\"purpose\":\"1\",\"scheme\":\"01\",\"value\":\"351411\"}],", "classifications.endDate")]
    public void Compile_MalformedClassifications_ThrowsNamingTheMember(string classifications, string expected)
    {
        var error = Fails(Raw("tga", Component.Replace("CLASSIFICATIONS", classifications, StringComparison.Ordinal)));
        Assert.Equal("component:BSB40120", error.Key);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LabourMarketKinds_ReadOrCheckEach()
    {
        var osl = Parse("osl", Cook);
        var cook = Assert.Single(osl.OccupationShortages);
        Assert.Equal(("anzsco-2022", "351411", 2025, "S", 3), (cook.Classification, cook.Code, cook.ListYear, cook.National, cook.SkillLevel));
        Assert.Equal(["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"], cook.States.Select(s => s.State));

        Assert.Equal(1, Parse("ivi", Chefs).Other);
        Assert.Equal(1, Parse("abs", Employed).Other);
    }

    [Theory]
    [InlineData("osl", "\"national\":\"S\"", "\"national\":\"Shortage\"", "occupation-shortage:anzsco-2022:351411", "member 'national' is 'Shortage', not a rating (M, NS, R, S)")]
    [InlineData("osl", "\"ACT\":\"NS\"", "\"ACT\":\"\"", "occupation-shortage:anzsco-2022:351411", "member 'states.ACT' is '', not a rating")]
    [InlineData("osl", "\"ACT\":\"NS\"", "\"AUS\":\"NS\"", "occupation-shortage:anzsco-2022:351411", "member 'states' names 'AUS', not a state or territory")]
    [InlineData("osl", "anzsco-2022", "anzsco-2013", "occupation-shortage:anzsco-2013:351411", "member 'classification' is 'anzsco-2013'")]
    [InlineData("osl", "\"351411\"", "\"35 1411\"", "occupation-shortage:anzsco-2022:35 1411", "member 'code' is '35 1411', not an occupation code")]
    [InlineData("osl", "\"listYear\":2025", "\"listYear\":\"2025\"", "occupation-shortage:anzsco-2022:351411", "'listYear' must be an integer")]
    [InlineData("osl", "\"skillLevel\":3", "\"skillLevel\":9", "occupation-shortage:anzsco-2022:351411", "'skillLevel' is 9, not a skill level")]
    [InlineData("osl", "\"title\":\"Cook\"", "\"titel\":\"Cook\"", "occupation-shortage:anzsco-2022:351411", "unknown member 'titel' in a 'occupation-shortage' record")]
    [InlineData("ivi", "\"value\":812.3", "\"value\":\"812.3\"", "vacancy-series:anzsco4-3mma:VIC:3513", "'points.value' must be a decimal number")]
    [InlineData("ivi", "\"month\":\"2025-05-01\"", "\"month\":\"May 2025\"", "vacancy-series:anzsco4-3mma:VIC:3513", "'points.month' is 'May 2025', not a yyyy-MM-dd date")]
    [InlineData("ivi", "\"level\":4,", "", "vacancy-series:anzsco4-3mma:VIC:3513", "a 'vacancy-series' record needs member 'level'")]
    [InlineData("abs", "\"status\":\"r\",", "", "labour-series:ABS,LF,1.0.0:M3.3.1599.20.AUS.M", "a 'labour observation' record needs member 'status'")]
    [InlineData("abs", "\"unit\":\"Thousands of persons\"", "\"unit\":null", "labour-series:ABS,LF,1.0.0:M3.3.1599.20.AUS.M", "'unit' must be a string")]
    public void Compile_MalformedLabourMarketRecord_ThrowsNamingKeyAndMember(string source, string from, string to, string key, string expected)
    {
        var line = source switch { "osl" => Cook, "ivi" => Chefs, _ => Employed };
        Assert.Contains(from, line, StringComparison.Ordinal);
        var error = Fails(Raw(source, line.Replace(from, to, StringComparison.Ordinal)));
        Assert.Equal(source, error.Source);
        Assert.Equal(key, error.Key);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tga", Cook, "a 'occupation-shortage' record is not one the policy matrix assigns")]
    [InlineData("abs", Cook, "a 'occupation-shortage' record is not one the policy matrix assigns")]
    [InlineData("ivi", Employed, "a 'labour-series' record is not one the policy matrix assigns")]
    public void Compile_LabourMarketRecordInTheWrongSource_Throws(string source, string line, string expected) =>
        Assert.Contains(expected, Fails(Raw(source, line)).Message, StringComparison.Ordinal);
}
