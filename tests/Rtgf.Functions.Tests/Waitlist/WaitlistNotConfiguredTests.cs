using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Tests.Waitlist;

/// <summary>The app without <c>Waitlist:LinkKey</c>: it starts, and the waitlist answers 503 naming the setting.</summary>
public sealed class WaitlistNotConfiguredTests(WaitlistNotConfiguredTests.App app) : IClassFixture<WaitlistNotConfiguredTests.App>
{
    [Fact]
    public async Task SignUpAndLinks_Answer503NamingTheSetting_AndStoreNothing()
    {
        using var client = app.CreateClient();
        using var signUp = await client.PostAsJsonAsync("/v1/waitlist", new { email = "ada@example.org" });
        using var confirm = await client.PostAsync("/v1/waitlist/confirm?token=c." + new string('0', 32) + ".x.1.y", null);

        foreach (var response in new[] { signUp, confirm })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("urn:rtgf:problem:waitlist-not-configured", problem.RootElement.GetProperty("type").GetString());
            Assert.Contains(MagicLinks.Setting, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var leads = JsonDocument.Parse(await client.GetStringAsync(new Uri("/ops/leads", UriKind.Relative)));
        Assert.Equal(0, leads.RootElement.GetProperty("leads").GetArrayLength());
    }

    [Theory]
    [InlineData("/ops/leads?limit=0")]
    [InlineData("/ops/leads?limit=201")]
    [InlineData("/ops/leads?limit=ten")]
    [InlineData("/ops/leads?cursor=%21%21")]
    public async Task ListLeads_RefusesABadLimitOrCursor(string url)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:rtgf:problem:invalid-request", problem.RootElement.GetProperty("type").GetString());
    }

    /// <summary>The app on Azurite with no waitlist settings at all.</summary>
    public sealed class App() : StoredAppFixture(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero))
    {
        protected override Task SeedAsync() => Task.CompletedTask;
    }
}
