using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Rtgf.UpstreamSimulator.World;
using static Rtgf.UpstreamSimulator.Tests.TgaSoapClient;

namespace Rtgf.UpstreamSimulator.Tests.Admin;

public sealed class ChangeApplierTests
{
    private const string Organisations = "Deewr.Tga.WebServices/OrganisationService.svc/Organisation";

    private static async Task<JsonObject> PostChangesAsync(HttpClient http, string json)
    {
        using var response = await http.PostAsync("_sim/changes", new StringContent(json));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task CancelRto_ShowsInModifiedSearchAndDetails_AtTheAdvancedClock()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var rto = server.World.Rtos.First(r => r.Deleted is null && r.Status == RtoStatus.Current);

        var result = await PostChangesAsync(http, $$"""{"changes":[{"kind":"cancelRto","code":"{{rto.Code}}"}]}""");

        Assert.Equal("2025-07-01T00:01:00Z", result["clock"]!.GetValue<string>());
        var soap = new TgaSoapClient(http, "Deewr.Tga.WebServices/OrganisationServiceV12.svc/Organisation");
        var (_, modified) = await soap.CallAsync("IOrganisationService", "SearchByModifiedDate", Offset("StartDate", Simulators.Start));
        var item = Assert.Single(soap.Payload(modified).Descendants(T + "OrganisationSearchResultItem"));
        Assert.Equal(rto.Code, item.Element(T + "Code")!.Value);
        Assert.Equal("false", item.Element(T + "HasActiveRegistration")!.Value);
        Assert.Equal("Cancelled", item.Element(T + "RegistrationStatus")!.Value);
        Assert.Equal(Simulators.Start.AddMinutes(1), ReadOffset(item.Element(T + "UpdatedDate")!));

        var (_, details) = await soap.CallAsync("IOrganisationService", "GetDetails", new XElement(T + "Code", rto.Code));
        var period = soap.Payload(details).Descendants(T + "RegistrationPeriod").Single();
        Assert.Equal("2025-07-01", period.Element(T + "EndDate")!.Value);
        Assert.Equal("Cancelled", period.Element(T + "EndReasonCode")!.Value);
    }

    [Fact]
    public async Task SupersedeComponent_OldIsSupersededAndTheSuccessorAppears()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var qualification = server.World.Components.First(c => c.Kind == ComponentKind.Qualification && c.Usage == UsageState.Current && c.Supersedes is null);

        var result = await PostChangesAsync(http, $$"""{"changes":[{"kind":"supersedeComponent","code":"{{qualification.Code}}","isEquivalent":false}]}""");

        var successor = result["applied"]![0]!["by"]!.GetValue<string>();
        var soap = new TgaSoapClient(http);
        var (_, modified) = await soap.CallAsync("ITrainingComponentService", "SearchByModifiedDate", Offset("StartDate", Simulators.Start));
        var items = soap.Payload(modified).Descendants(T + "TrainingComponentSummary").ToDictionary(s => s.Element(T + "Code")!.Value, s => s.Element(T + "UsageReccomendation")!.Value);
        Assert.Equal(new Dictionary<string, string> { [qualification.Code] = "Superseded", [successor] = "Current" }, items);
        var (_, details) = await soap.CallAsync("ITrainingComponentService", "GetDetails", new XElement(T + "Code", successor));
        var mapping = soap.Payload(details).Descendants(T + "Mapping").Single();
        Assert.Equal(qualification.Code, mapping.Element(T + "MapsToCode")!.Value);
        Assert.Equal("false", mapping.Element(T + "IsEquivalent")!.Value);
        // The successor leads to the same occupation as the qualification it supersedes.
        var anzsco = soap.Payload(details).Descendants(T + "Classification").Single(c => c.Element(T + "SchemeCode")!.Value == "01");
        Assert.NotNull(qualification.Anzsco);
        Assert.Equal(qualification.Anzsco, anzsco.Element(T + "ValueCode")!.Value);
    }

    [Fact]
    public async Task RemoveScope_EndsTheRowAndMarksTheRtoModified()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var world = server.World;
        var rto = world.Rtos.First(r => r.Deleted is null && r.Status == RtoStatus.Current && world.Scope.Skip(r.ScopeStart).Take(r.ScopeCount).Any(s => s.End is null));
        var component = world.Components[world.Scope.Skip(rto.ScopeStart).Take(rto.ScopeCount).First(s => s.End is null).Component].Code;

        await PostChangesAsync(http, $$"""{"changes":[{"kind":"removeScope","rtoCode":"{{rto.Code}}","componentCode":"{{component}}"}],"stepSeconds":3600}""");

        var soap = new TgaSoapClient(http, Organisations);
        var (_, modified) = await soap.CallAsync("IOrganisationService", "SearchByModifiedDate", Offset("StartDate", Simulators.Start.AddMinutes(30)));
        Assert.Equal([rto.Code], soap.Payload(modified).Descendants(T + "OrganisationSearchResultItem").Select(i => i.Element(T + "Code")!.Value));
        var (_, details) = await soap.CallAsync("IOrganisationService", "GetDetails", new XElement(T + "Code", rto.Code));
        var scope = soap.Payload(details).Descendants(T + "Scope").First(s => s.Element(T + "NrtCode")!.Value == component);
        Assert.Equal("2025-07-01", scope.Element(T + "EndDate")!.Value);
        var (_, byScope) = await soap.CallAsync("IOrganisationService", "SearchByScope", new XElement(T + "Filter", component));
        Assert.DoesNotContain(rto.Code, soap.Payload(byScope).Descendants(T + "Code").Select(c => c.Value));
    }

    [Fact]
    public async Task DeleteOrganisation_AppearsInTheDeletedSearchOnly()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var rto = server.World.Rtos.First(r => r.Deleted is null);

        await PostChangesAsync(http, $$"""{"changes":[{"kind":"deleteOrganisation","code":"{{rto.Code}}"}]}""");

        var soap = new TgaSoapClient(http, Organisations);
        var (_, deleted) = await soap.CallAsync("IOrganisationService", "SearchDeletedByDeletedDate", Offset("StartDate", Simulators.Start));
        Assert.Equal(rto.Code, soap.Payload(deleted).Descendants(T + "OrganisationCode").Single().Value);
        var (status, _) = await soap.CallAsync("IOrganisationService", "GetDetails", new XElement(T + "Code", rto.Code));
        Assert.Equal(500, status);
    }

    [Fact]
    public async Task Changes_BadChange_Is400WithTheReason()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.PostAsync("_sim/changes", new StringContent("""{"changes":[{"kind":"cancelRto","code":"nope"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("No RTO with code 'nope'", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clock_CannotMoveBackwards()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.PostAsync("_sim/clock", new StringContent("""{"set":"2020-01-01T00:00:00Z"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("only moves forward", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
