using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.LocalRunner.Hosting;
using Rtgf.Testing;
using Rtgf.UpstreamSimulator;

namespace Rtgf.LocalRunner.Tests.Hosting;

public sealed class LocalCommsTests
{
    [Fact]
    public async Task Settings_PointResendAndCellcastAtTheSimulator_WithKeysItAccepts()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        await using var simulator = await LocalUpstream.StartAsync(SimulatorCorpus.Small, 0, clock, CancellationToken.None);
        var settings = LocalComms.Settings(simulator.BaseAddress).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        using var http = new HttpClient();

        using var email = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(settings["Resend__ApiBase"]), "emails"))
        {
            Content = new StringContent($$"""{"from":"{{settings["Resend__From"]}}","to":"dev@example.org","subject":"Hi","text":"Hello"}""", Encoding.UTF8, "application/json"),
        };
        email.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings["Resend__ApiKey"]);
        using var sms = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(settings["Cellcast__ApiBase"]), "api/v3/send-sms"))
        {
            Content = new StringContent("""{"sms_text":"Hello","numbers":["+61400000000"]}""", Encoding.UTF8, "application/json"),
        };
        sms.Headers.Add("APPKEY", settings["Cellcast__ApiKey"]);
        using var sentEmail = await http.SendAsync(email);
        using var sentSms = await http.SendAsync(sms);
        var sent = await http.GetFromJsonAsync<JsonObject>(new Uri(simulator.BaseAddress, "_sim/comms/sent"));

        Assert.Equal(["Cellcast__ApiBase", "Cellcast__ApiKey", "Resend__ApiBase", "Resend__ApiKey", "Resend__From"], settings.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (sentEmail.StatusCode, sentSms.StatusCode));
        Assert.Equal("dev@example.org", (string?)sent!["emails"]![0]!["to"]![0]);
        Assert.Equal("+61400000000", (string?)sent["sms"]![0]!["to"]);
    }
}
