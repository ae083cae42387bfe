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

/// <summary>The app with a link key but no id key and a link base URL that is not a URL: sign-ups answer 503 naming both, never 500.</summary>
public sealed class WaitlistBadSettingsTests(WaitlistBadSettingsTests.App app) : IClassFixture<WaitlistBadSettingsTests.App>
{
    [Fact]
    public async Task SignUp_Answers503NamingTheSettings_AndTheLeadListStillWorks()
    {
        using var client = app.CreateClient();
        using var signUp = await client.PostAsJsonAsync("/v1/waitlist", new { email = "ada@example.org" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, signUp.StatusCode);
        using var problem = JsonDocument.Parse(await signUp.Content.ReadAsStringAsync());
        Assert.Equal("urn:rtgf:problem:waitlist-not-configured", problem.RootElement.GetProperty("type").GetString());
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.Contains(WaitlistIds.Setting, detail, StringComparison.Ordinal);
        Assert.Contains(Rtgf.Functions.Waitlist.WaitlistSettings.LinkBaseUrlSetting, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("not a url", detail, StringComparison.Ordinal);

        using var leads = await client.GetAsync(new Uri("/ops/leads", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, leads.StatusCode);
    }

    /// <summary>The app on Azurite with the link key only, and a bad link base URL.</summary>
    public sealed class App() : StoredAppFixture(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero))
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            [MagicLinks.Setting] = WaitlistFixture.LinkKey,
            [Rtgf.Functions.Waitlist.WaitlistSettings.LinkBaseUrlSetting] = "not a url",
        };

        protected override Task SeedAsync() => Task.CompletedTask;
    }
}

/// <summary>The global hourly cap on waitlist sign-ups (so on waitlist email), across domains and client addresses.</summary>
public sealed class WaitlistGlobalCapTests(WaitlistGlobalCapTests.App app) : IClassFixture<WaitlistGlobalCapTests.App>
{
    [Fact]
    public async Task GlobalCap_RefusesTheSignUpPastIt_WhateverItsDomainAndClient()
    {
        for (var i = 0; i < 2; i++)
        {
            using var accepted = await app.SignUpAsync(new { email = $"user@d{i}.example.org" }, $"198.51.100.{i + 1}");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await app.SignUpAsync(new { email = "user@d9.example.org" }, "198.51.100.9");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Empty(await app.SentToAsync("d9.example.org"));
    }

    /// <summary>The waitlist app with a global cap of 2 an hour.</summary>
    public sealed class App : WaitlistFixture
    {
        protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
        {
            [Rtgf.Functions.Waitlist.WaitlistSettings.GlobalSetting] = "2",
        };
    }
}
