using System.Net;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>CRICOS, TEQSA and the stats over the published sample world, checked against their snapshots.</summary>
[Collection(PublicApiWorld.Name)]
public sealed class PublicApiProviderTests(PublishedWorldFixture world)
{
    [Fact]
    public async Task Cricos_ProvidersWithLocationsAndCourses_CoursesLinkTheirTokens()
    {
        using var client = world.CreateClient();
        var cricos = await world.RecordsAsync("cricos");
        var providers = cricos.Where(r => r.ContainsKey("institutionName")).ToList();
        var courses = cricos.Where(r => r.ContainsKey("courseCode")).ToList();

        var (listed, _) = await client.PageAllAsync("/v1/cricos/providers?limit=2");
        Assert.Equal(providers.Codes("providerCode").Order(StringComparer.Ordinal), listed.Codes("providerCode"));
        Assert.All(listed, p => Assert.Null(p["token"]));
        Assert.All(listed, p => Assert.Equal("cricos", (string)p["snapshot"]!["source"]!));

        var code = (string)providers[0]["providerCode"]!;
        var detail = await client.GetObjectAsync("/v1/cricos/providers/" + code);
        Assert.Equal(courses.Where(c => (string)c["providerCode"]! == code).Codes("courseCode").Order(StringComparer.Ordinal), detail["courses"]!.AsArray().Select(c => (string)c!["courseCode"]!));
        Assert.Equal(cricos.Count(r => r.ContainsKey("locationName") && (string)r["providerCode"]! == code), detail["locations"]!.AsArray().Count);

        var courseCode = (string)detail["courses"]![0]!["courseCode"]!;
        var course = await client.GetObjectAsync("/v1/cricos/courses/" + courseCode);
        var (token, facts) = await client.TokenFactsAsync(course["token"]);
        Assert.Equal($"cricos:{code}:{courseCode}", (string)token["subject"]!);
        Assert.Equal(courseCode, (string)facts["course_code"]!);
        Assert.Equal((string)course["courseName"]!, (string)facts["name"]!);

        using var missing = await client.GetAsync("/v1/cricos/courses/000000Z");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Teqsa_ProvidersLinkTheirSnapshot_WithTheirCourses()
    {
        using var client = world.CreateClient();
        var teqsa = await world.RecordsAsync("teqsa");

        var (listed, _) = await client.PageAllAsync("/v1/teqsa/providers?limit=3");
        Assert.Equal(teqsa.Codes("providerId").Order(StringComparer.Ordinal), listed.Codes("providerId"));

        var record = teqsa.First(p => p["courses"]!.AsArray().Count > 0);
        var provider = await client.GetObjectAsync("/v1/teqsa/providers/" + (string)record["providerId"]!);
        Assert.Equal((string)record["name"]!, (string)provider["name"]!);
        Assert.Equal(record["courses"]!.AsArray().Count, provider["courses"]!.AsArray().Count);
        Assert.Null(provider["token"]);
        Assert.Equal((await world.Snapshots.GetLatestAsync("teqsa"))!.Manifest.Digest, (string)provider["snapshot"]!["digest"]!);

        using var missing = await client.GetAsync("/v1/teqsa/providers/PRV99999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Stats_AreTheSnapshotsOwnCounts()
    {
        using var client = world.CreateClient();
        var tga = await world.RecordsAsync("tga");
        var cricos = await world.RecordsAsync("cricos");
        var teqsa = await world.RecordsAsync("teqsa");
        var rtos = tga.Where(r => r.ContainsKey("legalName")).ToList();
        var components = tga.Where(r => r.ContainsKey("releases")).ToList();

        var stats = await client.GetObjectAsync("/v1/stats");

        Assert.Equal(world.Publications[^1].BuildId, (string)stats["buildId"]!);
        Assert.Equal(rtos.Count, (int)stats["rtos"]!["total"]!);
        Assert.Equal(tga.Count(r => r.ContainsKey("organisationCode")), (int)stats["rtos"]!["scopeRows"]!);
        foreach (var group in rtos.GroupBy(r => (string?)r["registrationManager"] ?? "unknown"))
        {
            Assert.Equal(group.Count(), (int)stats["rtos"]!["byRegistrationManager"]![group.Key]!);
        }

        foreach (var group in rtos.GroupBy(r => (string?)r["status"] ?? "unknown"))
        {
            Assert.Equal(group.Count(), (int)stats["rtos"]!["byStatus"]![group.Key]!);
        }

        Assert.Equal(components.Count, (int)stats["components"]!["total"]!);
        foreach (var group in components.SelectMany(c => c["componentTypes"]!.AsArray().Select(t => (string)t!)).GroupBy(t => t))
        {
            Assert.Equal(group.Count(), (int)stats["components"]!["byType"]![group.Key]!);
        }

        Assert.Equal(cricos.Count(r => r.ContainsKey("institutionName")), (int)stats["cricos"]!["providers"]!);
        Assert.Equal(cricos.Count(r => r.ContainsKey("courseCode")), (int)stats["cricos"]!["courses"]!);
        Assert.Equal(cricos.Count(r => r.ContainsKey("courseCode") && r["expired"]!.GetValue<bool>()), (int)stats["cricos"]!["expiredCourses"]!);
        Assert.Equal(cricos.Count(r => r.ContainsKey("locationName")), (int)stats["cricos"]!["locations"]!);
        Assert.Equal(teqsa.Count, (int)stats["teqsa"]!["providers"]!);
        Assert.Equal(teqsa.Sum(p => p["courses"]!.AsArray().Count), (int)stats["teqsa"]!["courses"]!);
        Assert.Equal((await world.RecordsAsync("sanctions")).Count, (int)stats["sanctionsListings"]!);
    }
}
