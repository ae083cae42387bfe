using System.Xml.Linq;
using Rtgf.UpstreamSimulator.World;
using static Rtgf.UpstreamSimulator.Tests.TgaSoapClient;

namespace Rtgf.UpstreamSimulator.Tests.Tga;

public sealed class TrainingComponentSoapServiceTests
{
    private const string Contract = "ITrainingComponentService";

    [Fact]
    public async Task Search_FirstPage_ReturnsTheDocumentedSummaryElementsInSchemaOrder()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);

        var (status, document) = await soap.CallAsync(Contract, "Search", new XElement(T + "Filter", string.Empty), new XElement(T + "PageNumber", 1), new XElement(T + "PageSize", 5));

        Assert.Equal(200, status);
        var response = soap.Payload(document);
        Assert.Equal(T + "SearchResponse", response.Name);
        var result = response.Element(T + "SearchResult")!;
        Assert.Equal(["Count", "PageNumber", "PageSize", "Results"], result.Elements().Select(e => e.Name.LocalName));
        var summaries = result.Element(T + "Results")!.Elements().ToList();
        Assert.Equal(5, summaries.Count);
        Assert.All(summaries, s =>
        {
            Assert.Equal(T + "TrainingComponentSummary", s.Name);
            Assert.Equal(
                ["Code", "ComponentType", "CreatedDate", "IsConfidential", "IsCurrent", "Title", "UpdatedDate", "UsageReccomendation"],
                s.Elements().Select(e => e.Name.LocalName));
            Assert.All(s.Elements().Where(e => e.Name.LocalName.EndsWith("Date", StringComparison.Ordinal)), d =>
                Assert.Equal([Sys + "DateTime", Sys + "OffsetMinutes"], d.Elements().Select(e => e.Name)));
            Assert.Equal("Current", s.Element(T + "UsageReccomendation")!.Value);
        });
    }

    [Fact]
    public async Task Search_PagedThrough_CoversEveryCurrentComponentExactlyOnce()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);
        var seen = new List<string>();
        int count;
        var page = 1;
        do
        {
            var (_, document) = await soap.CallAsync(Contract, "Search", new XElement(T + "Filter", string.Empty), new XElement(T + "PageNumber", page), new XElement(T + "PageSize", 7));
            var result = soap.Payload(document).Element(T + "SearchResult")!;
            count = (int)result.Element(T + "Count")!;
            seen.AddRange(result.Element(T + "Results")!.Elements().Select(s => s.Element(T + "Code")!.Value));
        }
        while (page++ * 7 < count);

        var expected = server.World.Components.Where(c => c.Usage == UsageState.Current).Select(c => c.Code).Order(StringComparer.Ordinal);
        Assert.Equal(expected, seen);
        Assert.Equal(seen.Count, count);
        Assert.True(count > 30, $"only {count} current components");
    }

    [Fact]
    public async Task Search_IncludeSuperseededAndTypeFilter_AreHonoured()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);
        var types = new XElement(T + "TrainingComponentTypes", new XElement(T + "IncludeQualification", true));

        var (_, current) = await soap.CallAsync(Contract, "Search", new XElement(T + "Filter", string.Empty), new XElement(T + "PageSize", 100), types);
        var (_, all) = await soap.CallAsync(Contract, "Search", new XElement(T + "Filter", string.Empty), new XElement(T + "IncludeSuperseeded", true), new XElement(T + "PageSize", 100), types);

        var currentItems = soap.Payload(current).Descendants(T + "TrainingComponentSummary").ToList();
        var allItems = soap.Payload(all).Descendants(T + "TrainingComponentSummary").ToList();
        Assert.All(allItems, s => Assert.Equal("Qualification", s.Element(T + "ComponentType")!.Value));
        Assert.Equal(server.World.Components.Count(c => c.Kind == ComponentKind.Qualification && c.Usage == UsageState.Current), currentItems.Count);
        Assert.Contains(allItems, s => s.Element(T + "UsageReccomendation")!.Value == "Superseded" && s.Element(T + "IsCurrent")!.Value == "false");
    }

    [Fact]
    public async Task SearchByModifiedDate_Window_ReturnsExactlyTheComponentsModifiedInIt()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);
        var updated = server.World.Components.Select(c => c.Updated).Order().ToList();
        var since = updated[updated.Count / 2];

        var (_, document) = await soap.CallAsync(Contract, "SearchByModifiedDate", new XElement(T + "PageSize", 1000), Offset("StartDate", since));

        var items = soap.Payload(document).Descendants(T + "TrainingComponentSummary").ToList();
        var expected = server.World.Components.Where(c => c.Updated >= since).Select(c => c.Code).Order(StringComparer.Ordinal);
        Assert.Equal(expected, items.Select(i => i.Element(T + "Code")!.Value));
        Assert.All(items, i => Assert.True(ReadOffset(i.Element(T + "UpdatedDate")!) >= since));
        Assert.True(items.Count < server.World.Components.Count, "the window should exclude older components");
    }

    [Fact]
    public async Task SearchByModifiedDate_EndDate_IsExclusive()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);
        var target = server.World.Components[3];

        var (_, exact) = await soap.CallAsync(Contract, "SearchByModifiedDate", Offset("EndDate", target.Updated.AddSeconds(1)), Offset("StartDate", target.Updated));
        var (_, before) = await soap.CallAsync(Contract, "SearchByModifiedDate", Offset("EndDate", target.Updated), Offset("StartDate", target.Updated.AddDays(-1)));

        Assert.Contains(target.Code, soap.Payload(exact).Descendants(T + "Code").Select(c => c.Value));
        Assert.DoesNotContain(target.Code, soap.Payload(before).Descendants(T + "Code").Select(c => c.Value));
    }

    [Fact]
    public async Task SearchDeletedByDeletedDate_ReturnsTheDeletedComponentsWithDocumentedFields()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);

        var (_, document) = await soap.CallAsync(Contract, "SearchDeletedByDeletedDate", Offset("StartDate", Simulators.Start.AddYears(-20)));

        var deleted = soap.Payload(document).Element(T + "SearchDeletedByDeletedDateResult")!.Elements(T + "DeletedTrainingComponent").ToList();
        Assert.Equal(server.World.Components.Where(c => c.Deleted is not null).Select(c => c.Code).Order(StringComparer.Ordinal), deleted.Select(d => d.Element(T + "NationalCode")!.Value).Order(StringComparer.Ordinal));
        Assert.NotEmpty(deleted);
        Assert.All(deleted, d => Assert.Equal(["NationalCode", "Operation", "UpdatedDate"], d.Elements().Select(e => e.Name.LocalName)));
    }

    [Fact]
    public async Task GetDetails_SupersededQualification_ShowsReleasesUsageRowsAndMapping()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);
        var old = server.World.Components.First(c => c.Kind == ComponentKind.Qualification && c.Usage == UsageState.Superseded);

        var (status, document) = await soap.CallAsync(Contract, "GetDetails", new XElement(T + "Code", old.Code));

        Assert.Equal(200, status);
        var details = soap.Payload(document).Element(T + "GetDetailsResult")!;
        Assert.Equal(old.Code, details.Element(T + "Code")!.Value);
        Assert.Equal("Qualification", details.Element(T + "ComponentType")!.Value);
        var usage = details.Element(T + "UsageRecommendations")!.Elements(T + "UsageRecommendation").ToList();
        Assert.Equal(["Current", "Superseded"], usage.Select(u => u.Element(T + "State")!.Value));
        Assert.Equal("true", (string?)usage[1].Element(T + "EndDate")!.Attribute(I + "nil"));
        var mapping = details.Element(T + "MappingInformation")!.Element(T + "Mapping")!;
        Assert.Equal(old.SupersededBy, mapping.Element(T + "Code")!.Value);
        Assert.Equal(old.Code, mapping.Element(T + "MapsToCode")!.Value);
        var release = details.Element(T + "Releases")!.Elements(T + "Release").First();
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", release.Element(T + "ReleaseDate")!.Value);
        Assert.Contains("\\", release.Element(T + "Files")!.Element(T + "ReleaseFile")!.Element(T + "RelativePath")!.Value, StringComparison.Ordinal);
        // Scheme 01 (ANZSCO identifier: the occupation the qualification leads to) and 05 (qualification level).
        var classifications = details.Element(T + "Classifications")!.Elements(T + "Classification")
            .Select(c => (c.Element(T + "SchemeCode")!.Value, c.Element(T + "ValueCode")!.Value, c.Element(T + "PurposeCode")!.Value)).ToList();
        Assert.Equal([("01", old.Anzsco!, "1"), ("05", old.QualificationLevel!, "1")], classifications);
    }

    [Fact]
    public async Task GetDetails_InformationRequestFlags_LimitTheSections()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);
        var code = server.World.Components[0].Code;

        var (_, document) = await soap.CallAsync(Contract, "GetDetails", new XElement(T + "Code", code), new XElement(T + "InformationRequest", new XElement(T + "ShowReleases", true)));

        var details = soap.Payload(document).Element(T + "GetDetailsResult")!;
        Assert.NotNull(details.Element(T + "Releases"));
        Assert.Null(details.Element(T + "UsageRecommendations"));
        Assert.Null(details.Element(T + "Releases")!.Element(T + "Release")!.Element(T + "Files"));
    }

    [Fact]
    public async Task GetServerTime_ReturnsTheSimulatedClock_AndFollowsIt()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);

        var (_, first) = await soap.CallAsync(Contract, "GetServerTime");
        using var advance = await http.PostAsync("_sim/clock", new StringContent("{\"advanceSeconds\":3600}"));
        var (_, second) = await soap.CallAsync(Contract, "GetServerTime");

        Assert.Equal(Simulators.Start, DateTimeOffset.Parse(soap.Payload(first).Element(T + "GetServerTimeResult")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Simulators.Start.AddHours(1), DateTimeOffset.Parse(soap.Payload(second).Element(T + "GetServerTimeResult")!.Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Search_VersionedSoap12Endpoint_ReturnsDerivedSummariesWithXsiType()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, "Deewr.Tga.Webservices/TrainingComponentServiceV12.svc", soap12: true);

        var (status, document) = await soap.CallAsync(Contract, "Search", new XElement(T + "Filter", string.Empty), new XElement(T + "PageSize", 3));

        Assert.Equal(200, status);
        Assert.Equal(TgaSoapClient.S12 + "Envelope", document.Root!.Name);
        var summary = soap.Payload(document).Descendants(T + "TrainingComponentSummary").First();
        Assert.Equal("TrainingComponentSummary3", (string?)summary.Attribute(I + "type"));
        Assert.Equal(["IsLegacyData", "CurrencyStatus"], summary.Elements().Skip(8).Select(e => e.Name.LocalName));
        Assert.Equal(
            "http://training.gov.au/services/ITrainingComponentService/SearchResponse",
            document.Root.Element(TgaSoapClient.S12 + "Header")!.Element((XNamespace)"http://www.w3.org/2005/08/addressing" + "Action")!.Value);
    }
}
