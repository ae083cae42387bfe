using System.Net;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>/v1/components over the published sample world, checked against the TGA snapshot.</summary>
[Collection(PublicApiWorld.Name)]
public sealed class PublicApiComponentTests(PublishedWorldFixture world)
{
    private async Task<List<JsonObject>> ComponentRecordsAsync() => [.. (await world.RecordsAsync("tga")).Where(r => r.ContainsKey("releases"))];

    [Fact]
    public async Task ListComponents_ByTypeAndStatus_AsTheSnapshotSays_PagedToTheEnd()
    {
        using var client = world.CreateClient();
        var components = await ComponentRecordsAsync();
        var (all, _) = await client.PageAllAsync("/v1/components?limit=9");
        Assert.Equal(components.Codes().Order(StringComparer.Ordinal), all.Codes());

        var types = components.SelectMany(c => c["componentTypes"]!.AsArray().Select(t => (string)t!)).Distinct().ToList();
        Assert.True(types.Count > 1, "the sample world has several component types");
        foreach (var type in types)
        {
            var expected = components.Where(c => c["componentTypes"]!.AsArray().Any(t => (string)t! == type)).Codes().Order(StringComparer.Ordinal);
            var (items, _) = await client.PageAllAsync("/v1/components?limit=4&type=" + type);
            Assert.Equal(expected, items.Codes());
        }

        var superseded = components.Where(c => (string)c["status"]! == "Superseded").Codes().Order(StringComparer.Ordinal).ToList();
        var (bySuperseded, _) = await client.PageAllAsync("/v1/components?status=superseded&type=Qualification");
        Assert.NotEmpty(superseded);
        Assert.Equal(
            components.Where(c => (string)c["status"]! == "Superseded" && c["componentTypes"]!.AsArray().Any(t => (string)t! == "Qualification")).Codes().Order(StringComparer.Ordinal),
            bySuperseded.Codes());
    }

    [Fact]
    public async Task GetComponent_HasReleasesUsageAndTheSupersessionChainBothWays_AndItsTokenAssertsIt()
    {
        using var client = world.CreateClient();
        var components = (await ComponentRecordsAsync()).ToDictionary(c => (string)c["code"]!);
        var old = components.Values.First(c => c["supersededBy"]!.AsArray().Count > 0);
        var code = (string)old["code"]!;

        var detail = await client.GetObjectAsync("/v1/components/" + code);
        var component = detail["component"]!;
        Assert.Equal(old["releases"]!.AsArray().Count, component["releases"]!.AsArray().Count);
        Assert.Equal(old["usageRecommendations"]!.AsArray().Count, component["usageRecommendations"]!.AsArray().Count);

        // Forwards: every successor, transitively; backwards from the successor: this component.
        var expectedForward = new List<string>();
        for (var next = (string?)old["supersededBy"]![0]; next is not null && !expectedForward.Contains(next); next = components.TryGetValue(next, out var c) && c["supersededBy"]!.AsArray().Count > 0 ? (string)c["supersededBy"]![0]! : null)
        {
            expectedForward.Add(next);
        }

        Assert.Equal(expectedForward, detail["supersededByChain"]!.AsArray().Select(c => (string)c!).Take(expectedForward.Count));
        var successor = await client.GetObjectAsync("/v1/components/" + expectedForward[0]);
        if (components.TryGetValue(expectedForward[0], out var successorRecord) && successorRecord["supersedes"]!.AsArray().Any(s => (string)s! == code))
        {
            Assert.Contains(code, successor["supersedesChain"]!.AsArray().Select(c => (string)c!));
        }

        var (token, facts) = await client.TokenFactsAsync(component["token"]);
        Assert.Equal("tc:" + code, (string)token["subject"]!);
        Assert.Equal(code, (string)facts["code"]!);
        Assert.Equal((string)old["title"]!, (string)facts["title"]!);
        Assert.Equal((string)old["status"]!, (string)facts["status"]!);
    }

    [Fact]
    public async Task Providers_AreTheRtosWithTheComponentOnCurrentScope_FilteredByState()
    {
        using var client = world.CreateClient();
        var asOf = (string)(await client.GetObjectAsync("/v1/stats"))["asOf"]!;
        var scope = (await world.RecordsAsync("tga")).Where(r => r.ContainsKey("organisationCode")).ToList();
        var component = scope.Where(r => PublicApiCalls.IsCurrent(r, asOf)).GroupBy(r => (string)r["componentCode"]!).OrderByDescending(g => g.Count()).First();

        var (providers, _) = await client.PageAllAsync($"/v1/components/{component.Key}/providers?limit=2");

        Assert.Equal(component.Select(r => (string)r["organisationCode"]!).Distinct().Order(StringComparer.Ordinal), providers.Select(p => (string)p["rto"]!["code"]!));
        Assert.All(providers, p => Assert.Equal(component.Key, (string)p["scope"]!["componentCode"]!));
        Assert.All(providers, p => Assert.True(p["scope"]!["current"]!.GetValue<bool>()));

        var states = providers.SelectMany(p => p["rto"]!["states"]!.AsArray().Select(s => (string)s!)).Distinct().ToList();
        Assert.NotEmpty(states); // the sample world's RTOs have locations: the state filter is exercised, not only "ZZ"
        foreach (var state in states.Append("ZZ"))
        {
            var (inState, _) = await client.PageAllAsync($"/v1/components/{component.Key}/providers?state={state}");
            Assert.Equal(providers.Where(p => p["rto"]!["states"]!.AsArray().Any(s => (string)s! == state)).Select(p => (string)p["rto"]!["code"]!), inState.Select(p => (string)p["rto"]!["code"]!));
        }

        using var unknown = await client.GetAsync("/v1/components/NOPE999/providers");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
