using System.Xml.Linq;
using Rtgf.UpstreamSimulator.World;
using static Rtgf.UpstreamSimulator.Tests.TgaSoapClient;

namespace Rtgf.UpstreamSimulator.Tests.Tga;

public sealed class OrganisationSoapServiceTests
{
    private const string Contract = "IOrganisationService";
    private const string Path = "Deewr.Tga.WebServices/OrganisationService.svc/Organisation";

    [Fact]
    public async Task GetDetails_Rto_IsTypedRtoWithLegalPersonAbnAndScope()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, Path);
        var rto = server.World.Rtos.First(r => r.Deleted is null && r.ScopeCount > 0);

        var (status, document) = await soap.CallAsync(Contract, "GetDetails", new XElement(T + "Code", rto.Code));

        Assert.Equal(200, status);
        var details = soap.Payload(document).Element(T + "GetDetailsResult")!;
        Assert.Equal("Rto", (string?)details.Attribute(I + "type"));
        var legal = details.Element(T + "ResponsibleLegalPersons")!.Element(T + "ResponsibleLegalPerson")!;
        Assert.Equal(rto.LegalName, legal.Element(T + "Name")!.Value);
        Assert.Equal(rto.Abn, legal.Element(T + "Abns")!.Element(Arr + "string")!.Value);
        Assert.Matches("^[0-9]{11}$", rto.Abn);
        Assert.Equal(rto.TradingName, details.Element(T + "TradingNames")!.Element(T + "TradingName")!.Element(T + "Name")!.Value);
        Assert.Equal(rto.RegistrationManager, details.Element(T + "RegistrationManagers")!.Descendants(T + "Code").Single().Value);
        var scopes = details.Element(T + "Scopes")!.Elements(T + "Scope").ToList();
        Assert.Equal(rto.ScopeCount, scopes.Count);
        Assert.Equal(
            ["ActionOnEntity", "EndDate", "StartDate", "ExtentCode", "IsImplicit", "IsRefused", "NrtCode", "TrainingComponentType"],
            scopes[0].Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public async Task GetDetails_VersionedEndpoint_ReturnsRto3AndScope2()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, "Deewr.Tga.Webservices/OrganisationServiceV12.svc/Organisation");
        var rto = server.World.Rtos.First(r => r.Deleted is null && r.ScopeCount > 0);

        var (_, document) = await soap.CallAsync(Contract, "GetDetails", new XElement(T + "Code", rto.Code));

        var details = soap.Payload(document).Element(T + "GetDetailsResult")!;
        Assert.Equal("Rto3", (string?)details.Attribute(I + "type"));
        Assert.Equal("Scope2", (string?)details.Element(T + "Scopes")!.Elements().First().Attribute(I + "type"));
        Assert.NotNull(details.Element(T + "RegistrationStatus"));
    }

    [Fact]
    public async Task Search_PagedThrough_CoversEveryLiveOrganisationOnce()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, Path);
        var codes = new List<string>();
        int count;
        var page = 1;
        do
        {
            var (_, document) = await soap.CallAsync(Contract, "Search", new XElement(T + "Filter", string.Empty), new XElement(T + "PageNumber", page), new XElement(T + "PageSize", 4));
            var result = soap.Payload(document).Element(T + "SearchResult")!;
            count = (int)result.Element(T + "Count")!;
            codes.AddRange(result.Descendants(T + "OrganisationSearchResultItem").Select(i => i.Element(T + "Code")!.Value));
        }
        while (page++ * 4 < count);

        Assert.Equal(server.World.Rtos.Where(r => r.Deleted is null).Select(r => r.Code).Order(StringComparer.Ordinal), codes);
    }

    [Fact]
    public async Task SearchByScope_ComponentCode_ListsTheRtosWithItOnCurrentScope()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, Path);
        var world = server.World;
        var row = world.Scope.First(s => s.End is null);
        var code = world.Components[row.Component].Code;

        var (_, document) = await soap.CallAsync(Contract, "SearchByScope", new XElement(T + "Filter", code));

        var expected = world.Rtos.Where(r => r.Deleted is null && world.Scope.Skip(r.ScopeStart).Take(r.ScopeCount).Any(s => s.End is null && s.Component == row.Component)).Select(r => r.Code);
        Assert.Equal(expected.Order(StringComparer.Ordinal), soap.Payload(document).Descendants(T + "OrganisationSearchResultItem").Select(i => i.Element(T + "Code")!.Value));
    }

    [Fact]
    public async Task SearchDeletedByDeletedDate_ListsDeletedOrganisations()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, Path);

        var (_, document) = await soap.CallAsync(Contract, "SearchDeletedByDeletedDate", Offset("StartDate", Simulators.Start.AddYears(-30)));

        var deleted = soap.Payload(document).Descendants(T + "DeletedOrganisation").ToList();
        Assert.Equal(WorldSizes.Small.DeletedRtos, deleted.Count);
        Assert.All(deleted, d => Assert.Equal(["Operation", "OrganisationCode", "UpdatedDate"], d.Elements().Select(e => e.Name.LocalName)));
    }
}
