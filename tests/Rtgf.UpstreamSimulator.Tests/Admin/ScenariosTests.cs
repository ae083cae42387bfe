using System.Net;
using System.Text.Json.Nodes;
using static Rtgf.UpstreamSimulator.Tests.TgaSoapClient;

namespace Rtgf.UpstreamSimulator.Tests.Admin;

public sealed class ScenariosTests
{
    [Fact]
    public async Task MonthlyChurn_EveryChangeShowsUpInItsUpstream()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.PostAsync("_sim/scenarios/monthly-churn", null);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var applied = result["applied"]!.AsArray().Select(a => a!.AsObject()).ToDictionary(a => a["kind"]!.GetValue<string>());
        Assert.Equal(["addSanction", "cancelRto", "expireCricosCourse", "removeScope", "supersedeComponent"], applied.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("2025-07-01T00:05:00Z", result["clock"]!.GetValue<string>());

        var organisations = new TgaSoapClient(http, "Deewr.Tga.WebServices/OrganisationService.svc/Organisation");
        var (_, modified) = await organisations.CallAsync("IOrganisationService", "SearchByModifiedDate", Offset("StartDate", Simulators.Start));
        Assert.Equal(
            new[] { applied["cancelRto"]["code"]!.GetValue<string>(), applied["removeScope"]["rtoCode"]!.GetValue<string>() }.Order(StringComparer.Ordinal),
            organisations.Payload(modified).Descendants(T + "Code").Select(c => c.Value));

        var training = new TgaSoapClient(http);
        var (_, components) = await training.CallAsync("ITrainingComponentService", "SearchByModifiedDate", Offset("StartDate", Simulators.Start));
        Assert.Contains(applied["supersedeComponent"]["code"]!.GetValue<string>(), training.Payload(components).Descendants(T + "Code").Select(c => c.Value));

        var rows = XlsxReader.Rows(await http.GetByteArrayAsync("sites/default/files/regulation8_consolidated.xlsx"), out _);
        Assert.Contains(rows, r => r["Name of Individual or Entity"] == "SCENARIO, Example Person");

        var status = JsonNode.Parse(await http.GetStringAsync("_sim/status"))!;
        Assert.Equal(5, status["revision"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnknownScenario_Is400NamingTheKnownOnes()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.PostAsync("_sim/scenarios/meteor-strike", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("rto-cancelled", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
