using System.Net;
using System.Text.Json.Nodes;

namespace Rtgf.UpstreamSimulator.Tests.Faults;

/// <summary>The faults that point a client at another host: a 307 redirect, and a page whose links are all off-site.</summary>
public sealed class TamperingFaultsTests
{
    private const string Target = "http://other.invalid:8080/";

    [Fact]
    public async Task Redirect_Answers307ToTheSamePathOnTheTarget()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        await AddFaultAsync(http, $$"""{"routePrefix":"/sites","mode":"redirect","count":1,"target":"{{Target}}"}""");
        using var noRedirects = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        using var redirected = await noRedirects.GetAsync("sites/default/files/regulation8_consolidated.xlsx?v=2");
        using var served = await noRedirects.GetAsync("sites/default/files/regulation8_consolidated.xlsx?v=2");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal(new Uri(Target + "sites/default/files/regulation8_consolidated.xlsx?v=2"), redirected.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task ForeignLinks_MakesEveryLinkOfThePageAbsoluteOnTheTarget()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        await AddFaultAsync(http, $$"""{"routePrefix":"/national-register","mode":"foreign-links","count":1,"target":"{{Target}}"}""");

        var page = await http.GetStringAsync("national-register");

        Assert.Contains($"href=\"{Target}national-register/provider/", page, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/", page, StringComparison.Ordinal);
        Assert.EndsWith("</html>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectWithoutTarget_IsRefusedWithOneLine()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.PostAsync("_sim/faults", new StringContent("""{"mode":"redirect"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("mode Redirect needs 'target', the other host's URL.", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }

    private static async Task AddFaultAsync(HttpClient http, string json)
    {
        using var response = await http.PostAsync("_sim/faults", new StringContent(json));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
