using System.Xml.Linq;
using static Rtgf.UpstreamSimulator.Tests.TgaSoapClient;

namespace Rtgf.UpstreamSimulator.Tests.Tga;

public sealed class TgaLookupsTests
{
    [Fact]
    public async Task GetLookup_ScopeExtent_ExplainsTheExtentCodesInScopeRows()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, "Deewr.Tga.WebServices/OrganisationService.svc/Organisation");

        var (status, document) = await soap.CallAsync("IOrganisationService", "GetLookup", new XElement(T + "LookupName", "ScopeExtent"));

        Assert.Equal(200, status);
        var lookups = soap.Payload(document).Element(T + "GetLookupResult")!.Elements(T + "Lookup").ToDictionary(l => l.Element(T + "Code")!.Value, l => l.Element(T + "Description")!.Value);
        Assert.Equal("Deliver and assess", lookups["01"]);
        Assert.All(server.World.Scope, row => Assert.Contains("0" + row.Extent.ToString(System.Globalization.CultureInfo.InvariantCulture), lookups.Keys));
    }

    [Fact]
    public async Task GetLookup_UnknownName_IsAValidationFault()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http);

        var (status, document) = await soap.CallAsync("ITrainingComponentService", "GetLookup", new XElement(T + "LookupName", "Planets"));

        Assert.Equal(500, status);
        Assert.Equal("InvalidLookupName", soap.Payload(document).Descendants(T + "Code").Single().Value);
    }

    [Fact]
    public async Task GetRegistrationManagers_ListsTheManagersRtosReference()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var soap = new TgaSoapClient(http, "Deewr.Tga.WebServices/OrganisationService.svc/Organisation");

        var (_, document) = await soap.SendAsync("http://training.gov.au/services/IOrganisationService/GetRegistrationManagers", new XElement(T + "GetRegistrationManagers"));

        var codes = soap.Payload(document).Descendants(T + "RegistrationManager").Select(m => m.Element(T + "Code")!.Value).ToList();
        Assert.Equal(["ASQA", "TAC", "VRQA"], codes);
        Assert.All(server.World.Rtos, r => Assert.Contains(r.RegistrationManager, codes));
    }
}
