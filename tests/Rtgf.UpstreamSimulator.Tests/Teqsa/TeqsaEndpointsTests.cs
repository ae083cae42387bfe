using System.Net;
using System.Text.RegularExpressions;

namespace Rtgf.UpstreamSimulator.Tests.Teqsa;

public sealed partial class TeqsaEndpointsTests
{
    [Fact]
    public async Task List_LinksEveryProviderPage_WithIdCategoryAndStatus()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var html = await http.GetStringAsync("national-register");

        Assert.Contains("<th>Provider</th><th>Provider ID</th><th>Provider category</th><th>Registration status</th>", html, StringComparison.Ordinal);
        var links = ProviderLink().Matches(html).Select(m => m.Groups["slug"].Value).ToList();
        Assert.Equal(server.World.TeqsaProviders.Select(t => t.Slug).Order(StringComparer.Ordinal), links.Order(StringComparer.Ordinal));
        Assert.Equal(server.World.TeqsaProviders.Count, ProviderId().Count(html));
        Assert.DoesNotContain("rel=\"next\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderPage_HasTheLabelledFactsAndCourseTable()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var provider = server.World.TeqsaProviders.First(t => t.Courses.Count > 0);

        var html = await http.GetStringAsync($"national-register/provider/{provider.Slug}");

        Assert.Contains($"<h1 class=\"page-title\">{WebUtility.HtmlEncode(provider.Name)}</h1>", html, StringComparison.Ordinal);
        var labels = Regex.Matches(html, "<dt>(?<l>[^<]+)</dt>").Select(m => m.Groups["l"].Value);
        Assert.Equal(["Provider ID", "ABN", "Trading name", "Provider category", "Self-accrediting authority", "Registration status", "Registration expiry", "Website", "Head office address"], labels);
        Assert.Contains($"<dt>Provider ID</dt><dd>{provider.ProviderId}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<table class=\"provider-courses\"><thead><tr><th>Course</th><th>Course ID</th><th>Status</th><th>Accreditation renewal date</th></tr></thead>", html, StringComparison.Ordinal);
        Assert.Equal(provider.Courses.Count, Regex.Count(html, "<td>CRS[0-9]{7}</td>"));
    }

    [Fact]
    public async Task ProviderPage_UnknownSlug_Is404()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.GetAsync("national-register/provider/no-such-provider");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex("<a href=\"/national-register/provider/(?<slug>[^\"]+)\">")]
    private static partial Regex ProviderLink();

    [GeneratedRegex("<td class=\"provider-id\">PRV[0-9]{5}</td>")]
    private static partial Regex ProviderId();
}
