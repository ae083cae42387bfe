using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Rtgf.Ingestion.Tga;

namespace Rtgf.Benchmarks.Ingestion;

/// <summary>
/// TGA <c>GetDetails</c> parsing over a generated multi-MB response (a training package: many releases, each with a large
/// unit grid, plus unknown subtype elements the parser must skip). Throughput = <see cref="ResponseBytes"/> / mean time.
/// </summary>
[MemoryDiagnoser]
public class TgaParsingBenchmarks
{
    private byte[] _componentDetails = [];
    private byte[] _organisationDetails = [];

    /// <summary>Sizes in bytes, printed at set-up so the MB/s figure can be read off the mean.</summary>
    public int ResponseBytes => _componentDetails.Length;

    [GlobalSetup]
    public void Generate()
    {
        _componentDetails = Encoding.UTF8.GetBytes(ComponentDetails(releases: 24, unitsPerRelease: 1200));
        _organisationDetails = Encoding.UTF8.GetBytes(OrganisationDetails(scopes: 12000));
        Console.WriteLine($"// GetDetails (component) response: {_componentDetails.Length} bytes; (organisation) response: {_organisationDetails.Length} bytes");
    }

    [Benchmark]
    public int ComponentDetails() => TgaResponseParser.ParseComponentDetails(new MemoryStream(_componentDetails, writable: false)).Releases.Count;

    [Benchmark]
    public int OrganisationDetails() => TgaResponseParser.ParseOrganisationDetails(new MemoryStream(_organisationDetails, writable: false)).Scopes.Count;

    private static string ComponentDetails(int releases, int unitsPerRelease)
    {
        var xml = new StringBuilder();
        xml.Append("""<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetDetailsResponse xmlns="http://training.gov.au/services/"><GetDetailsResult xmlns:a="http://schemas.datacontract.org/2004/07/System" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">""");
        xml.Append("<Classifications i:nil=\"true\"/><Code>BSB</Code><ComponentType>TrainingPackage</ComponentType>");
        xml.Append("<CreatedDate><a:DateTime>2015-06-02T00:00:00Z</a:DateTime><a:OffsetMinutes>600</a:OffsetMinutes></CreatedDate>");
        xml.Append("<MappingInformation>");
        for (var m = 0; m < 200; m++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Mapping><Code>BSB{m:D5}</Code><IsEquivalent>true</IsEquivalent><MapsToCode>BSB{m + 1:D5}</MapsToCode><MapsToTitle>Mapped title {m}</MapsToTitle><Notes i:nil=\"true\"/><Title>Title {m}</Title></Mapping>");
        }

        xml.Append("</MappingInformation><Releases>");
        for (var r = 1; r <= releases; r++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Release i:type=\"Release4\"><ApprovalProcess>Standard</ApprovalProcess><Currency>{(r == releases ? "Current" : "Superseded")}</Currency>");
            xml.Append(CultureInfo.InvariantCulture, $"<Files><ReleaseFile><RelativePath>BSB\\BSB_R{r}.xml</RelativePath><Size>51234</Size></ReleaseFile></Files><IscApprovalDate i:nil=\"true\"/>");
            xml.Append(CultureInfo.InvariantCulture, $"<ReleaseDate>{new DateOnly(2015, 1, 1).AddDays(r * 30):yyyy-MM-dd}</ReleaseDate><ReleaseNumber>{r}</ReleaseNumber><UnitGrid>");
            for (var u = 0; u < unitsPerRelease; u++)
            {
                xml.Append(CultureInfo.InvariantCulture, $"<UnitGridEntry i:type=\"UnitGridEntry2\"><Code>BSBXYZ{u:D4}</Code><Title>Apply workplace practices and procedures number {u}</Title><IsEssential>{(u % 3 == 0 ? "true" : "false")}</IsEssential></UnitGridEntry>");
            }

            xml.Append("</UnitGrid></Release>");
        }

        xml.Append("</Releases><Title>Business Services Training Package</Title>");
        xml.Append("<UpdatedDate><a:DateTime>2025-02-11T03:14:00Z</a:DateTime><a:OffsetMinutes>600</a:OffsetMinutes></UpdatedDate>");
        xml.Append("<UsageRecommendations><UsageRecommendation><EndDate i:nil=\"true\"/><StartDate>2015-06-02</StartDate><State>Current</State></UsageRecommendation></UsageRecommendations>");
        xml.Append("</GetDetailsResult></GetDetailsResponse></s:Body></s:Envelope>");
        return xml.ToString();
    }

    private static string OrganisationDetails(int scopes)
    {
        var xml = new StringBuilder();
        xml.Append("""<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetDetailsResponse xmlns="http://training.gov.au/services/"><GetDetailsResult i:type="Rto3" xmlns:a="http://schemas.datacontract.org/2004/07/System" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">""");
        xml.Append("<Codes><OrganisationCode><StartDate>2015-01-01</StartDate><Code>90001</Code></OrganisationCode></Codes>");
        xml.Append("<ResponsibleLegalPersons><ResponsibleLegalPerson><EndDate i:nil=\"true\"/><StartDate>2019-01-01</StartDate><Abns xmlns:b=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\"><b:string>12345678901</b:string></Abns><Name>Example Training Pty Ltd</Name></ResponsibleLegalPerson></ResponsibleLegalPersons>");
        xml.Append("<RegistrationPeriods><RegistrationPeriod><EndDate>2029-06-30</EndDate><StartDate>2022-07-01</StartDate></RegistrationPeriod></RegistrationPeriods><Scopes>");
        for (var s = 0; s < scopes; s++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Scope i:type=\"Scope2\"><EndDate i:nil=\"true\"/><StartDate>2021-03-01</StartDate><ExtentCode>01</ExtentCode><IsImplicit>false</IsImplicit><IsRefused>false</IsRefused><NrtCode>BSB{s:D5}</NrtCode><TrainingComponentType>Unit</TrainingComponentType><ScopeDecisionType>Granted</ScopeDecisionType></Scope>");
        }

        xml.Append("</Scopes><RegistrationStatus>Current</RegistrationStatus></GetDetailsResult></GetDetailsResponse></s:Body></s:Envelope>");
        return xml.ToString();
    }
}
