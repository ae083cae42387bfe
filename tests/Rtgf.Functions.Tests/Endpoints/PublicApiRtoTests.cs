using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>/v1/rtos over the published sample world, checked against the TGA snapshot the build read.</summary>
[Collection(PublicApiWorld.Name)]
public sealed class PublicApiRtoTests(PublishedWorldFixture world)
{
    private async Task<List<JsonObject>> TgaAsync(string kindMember) => [.. (await world.RecordsAsync("tga")).Where(r => r.ContainsKey(kindMember))];

    private async Task<List<JsonObject>> RtoRecordsAsync() => [.. (await TgaAsync("legalName"))];

    private async Task<List<JsonObject>> ScopeRecordsAsync() => [.. (await TgaAsync("organisationCode"))];

    [Fact]
    public async Task ListRtos_PagesToTheEnd_EveryRtoOnceInCodeOrder()
    {
        using var client = world.CreateClient();
        var expected = (await RtoRecordsAsync()).Codes().Order(StringComparer.Ordinal).ToList();

        var (items, builds) = await client.PageAllAsync("/v1/rtos?limit=7");

        Assert.Equal(expected, items.Codes());
        Assert.Equal((expected.Count + 6) / 7, builds.Count);
        Assert.Single(builds.Distinct());
    }

    [Fact]
    public async Task ListRtos_FiltersByRegistrationManagerStatusAndState_AsTheSnapshotSays()
    {
        using var client = world.CreateClient();
        var rtos = await RtoRecordsAsync();
        var managers = rtos.Select(r => (string?)r["registrationManager"]).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(managers);
        foreach (var manager in managers)
        {
            var expected = rtos.Where(r => (string?)r["registrationManager"] == manager).Codes().Order(StringComparer.Ordinal);
            var (items, _) = await client.PageAllAsync("/v1/rtos?limit=500&registrationManager=" + Uri.EscapeDataString(manager.ToLowerInvariant()));
            Assert.Equal(expected, items.Codes());
        }

        // Status and states come from the record (a status, its locations' state codes: not its contacts' postal addresses).
        // The sample world has both statuses and NSW locations, so each expected set is non-empty (no vacuous pass).
        foreach (var status in new[] { "Current", "Cancelled" })
        {
            var expected = rtos.Where(r => string.Equals((string?)r["status"], status, StringComparison.OrdinalIgnoreCase)).Codes().Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(expected);
            var (items, _) = await client.PageAllAsync("/v1/rtos?limit=500&status=" + status);
            Assert.Equal(expected, items.Codes());
        }

        var inNsw = rtos.Where(r => r["locations"] is JsonArray locations && locations.Any(l => (string?)l!["stateCode"] == "NSW")).Codes().Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(inNsw);
        var (nsw, _) = await client.PageAllAsync("/v1/rtos?limit=500&state=NSW");
        Assert.Equal(inNsw, nsw.Codes());
        Assert.All(nsw, r => Assert.Contains("NSW", r["states"]!.AsArray().Select(s => (string)s!)));
    }

    [Fact]
    public async Task ListRtos_ByComponent_IsEveryRtoWithItOnCurrentScope()
    {
        using var client = world.CreateClient();
        var asOf = (string)(await client.GetObjectAsync("/v1/stats"))["asOf"]!;
        var current = (await ScopeRecordsAsync()).Where(r => PublicApiCalls.IsCurrent(r, asOf)).ToList();
        var component = current.GroupBy(r => (string)r["componentCode"]!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();

        var (items, _) = await client.PageAllAsync("/v1/rtos?limit=3&component=" + component.Key);

        Assert.Equal(component.Select(r => (string)r["organisationCode"]!).Distinct().Order(StringComparer.Ordinal), items.Codes());
        Assert.True(items.Count > 1, "the busiest component should be on several scopes");
    }

    [Fact]
    public async Task GetRto_IsTheRecord_AndItsTokenLinkResolvesToATokenAssertingIt()
    {
        using var client = world.CreateClient();
        var record = (await RtoRecordsAsync()).First(r => ((JsonArray)r["tradingNames"]!).Count > 0);
        var code = (string)record["code"]!;

        var rto = await client.GetObjectAsync("/v1/rtos/" + code);
        Assert.Equal((string?)record["legalName"], (string?)rto["legalName"]);
        Assert.Equal((string?)record["abn"], (string?)rto["abn"]);
        Assert.Equal(record["tradingNames"]!.ToJsonString(), rto["tradingNames"]!.ToJsonString());
        Assert.Equal("tga", (string)rto["snapshot"]!["source"]!);

        var (token, facts) = await client.TokenFactsAsync(rto["token"]);
        Assert.Equal("rto:" + code, (string)token["subject"]!);
        Assert.Equal(code, (string)facts["code"]!);
        Assert.Equal((string?)record["legalName"], (string?)facts["legal_name"]);
        Assert.Equal((string?)record["abn"], (string?)facts["abn"]);
        Assert.Equal((string?)record["registrationManager"], (string?)facts["registration_manager"]);
        Assert.Equal((long)facts["scope"]!["count"]!, (long)rto["scopeCount"]! - (await ScopeRecordsAsync()).Count(r => (string)r["organisationCode"]! == code && r["isRefused"]!.GetValue<bool>()));

        // The proof link is the token's log entry.
        Assert.EndsWith("index=" + (long)token["logIndex"]!, (string)rto["proof"]!, StringComparison.Ordinal);
        using var proof = await client.GetAsync(new Uri((string)rto["proof"]!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, proof.StatusCode);
    }

    [Fact]
    public async Task GetRto_CarriesTheSanctionsScreeningOfItsScreenToken()
    {
        using var client = world.CreateClient();
        var code = (await RtoRecordsAsync()).Codes().Order(StringComparer.Ordinal).First();

        var screening = (await client.GetObjectAsync("/v1/rtos/" + code))["sanctionsScreening"]!;

        var (token, facts) = await client.TokenFactsAsync(screening["token"]);
        Assert.Equal("sanctions-screen", (string)token["family"]!);
        Assert.Equal("rto:" + code, (string)token["subject"]!);
        Assert.Equal((string)facts["result"]!, (string)screening["result"]!);
        Assert.Equal(facts["matches"]!.AsArray().Count, (int)screening["matches"]!);
        Assert.Equal((string)facts["list"]!["digest"]!, (string)screening["listDigest"]!);
    }

    [Fact]
    public async Task Scope_IsEveryRowOfTheRto_CurrentAndHistoricalSplitByTheFilter_TokensListingTheirComponents()
    {
        using var client = world.CreateClient();
        var asOf = (string)(await client.GetObjectAsync("/v1/stats"))["asOf"]!;
        var scope = await ScopeRecordsAsync();
        var code = scope.GroupBy(r => (string)r["organisationCode"]!).OrderByDescending(g => g.Count()).First().Key;
        var rows = scope.Where(r => (string)r["organisationCode"]! == code).ToList();

        var (all, _) = await client.PageAllAsync($"/v1/rtos/{code}/scope?limit=2");
        var (current, _) = await client.PageAllAsync($"/v1/rtos/{code}/scope?current=true");
        var (historical, _) = await client.PageAllAsync($"/v1/rtos/{code}/scope?current=false");

        Assert.Equal(rows.Codes("componentCode").Order(StringComparer.Ordinal), all.Codes("componentCode"));
        Assert.Equal(rows.Where(r => PublicApiCalls.IsCurrent(r, asOf)).Codes("componentCode").Order(StringComparer.Ordinal), current.Codes("componentCode"));
        Assert.Equal(rows.Where(r => !PublicApiCalls.IsCurrent(r, asOf)).Codes("componentCode").Order(StringComparer.Ordinal), historical.Codes("componentCode"));

        var row = all.First(r => r["token"] is not null);
        var (_, facts) = await client.TokenFactsAsync(row["token"]);
        var items = (facts["scope"]?["items"] ?? facts["items"])!.AsArray();
        Assert.Contains((string)row["componentCode"]!, items.Select(i => (string)i!["component"]!));
        Assert.All(all.Where(r => r["isRefused"]!.GetValue<bool>()), r => Assert.Null(r["token"]));
    }

    [Fact]
    public async Task Rto_HasAStrongETag_AndAMatchingIfNoneMatchAnswers304()
    {
        using var client = world.CreateClient();
        var code = (await RtoRecordsAsync()).Codes()[0];

        using var first = await client.GetAsync("/v1/rtos/" + code);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal(TimeSpan.FromSeconds(60), first.Headers.CacheControl?.MaxAge);
        Assert.True(first.Headers.CacheControl?.Public);
        Assert.Contains("Authorization", first.Headers.Vary);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/rtos/" + code);
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);

        using var other = new HttpRequestMessage(HttpMethod.Get, "/v1/rtos/" + code + "/scope");
        other.Headers.IfNoneMatch.Add(etag);
        using var third = await client.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.NotEqual(etag, third.Headers.ETag);
    }

    [Fact]
    public async Task Rto_AskedWithAKey_IsPrivate_SoNoSharedCacheServesAKeyedAnswer()
    {
        using var client = world.CreateClient();
        var code = (await RtoRecordsAsync()).Codes()[0];
        using var created = await client.PostAsJsonAsync("/ops/api-keys", new { name = "cache", owner = "tests@example.org", scopes = new[] { "catalogue:read" }, plan = "free" });
        created.EnsureSuccessStatusCode();
        var key = (await created.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/rtos/" + code);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var keyed = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.True(keyed.Headers.CacheControl?.Private);
        Assert.False(keyed.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromSeconds(60), keyed.Headers.CacheControl?.MaxAge);
        Assert.Contains("Authorization", keyed.Headers.Vary);
    }

    [Theory]
    [InlineData("/v1/rtos/99999999", HttpStatusCode.NotFound, "urn:rtgf:problem:not-found")]
    [InlineData("/v1/rtos/99999999/scope", HttpStatusCode.NotFound, "urn:rtgf:problem:not-found")]
    [InlineData("/v1/rtos/bad%20code", HttpStatusCode.BadRequest, "urn:rtgf:problem:invalid-request")]
    [InlineData("/v1/rtos?limit=0", HttpStatusCode.BadRequest, "urn:rtgf:problem:invalid-request")]
    [InlineData("/v1/rtos?limit=501", HttpStatusCode.BadRequest, "urn:rtgf:problem:invalid-request")]
    [InlineData("/v1/rtos?limit=-1", HttpStatusCode.BadRequest, "urn:rtgf:problem:invalid-request")]
    [InlineData("/v1/rtos?cursor=not-a-cursor", HttpStatusCode.BadRequest, "urn:rtgf:problem:invalid-request")]
    [InlineData("/v1/rtos?cursor=", HttpStatusCode.BadRequest, "urn:rtgf:problem:invalid-request")]
    [InlineData("/v1/rtos?state=%01", HttpStatusCode.BadRequest, "urn:rtgf:problem:invalid-request")]
    [InlineData("/v1/rtos/10010/scope?current=maybe", HttpStatusCode.BadRequest, "urn:rtgf:problem:invalid-request")]
    public async Task BadRequests_AreProblems(string path, HttpStatusCode status, string type)
    {
        using var client = world.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(type, (string)(await response.ReadObjectAsync())["type"]!);
    }

    [Fact]
    public async Task Cursors_AreRefusedOutsideTheirListing_TooLong_OrForAGenerationThatIsNotStored()
    {
        using var client = world.CreateClient();
        var page = await client.GetObjectAsync("/v1/rtos?limit=2&registrationManager=ASQA");
        var cursor = (string)page["nextCursor"]!;

        using var otherFilter = await client.GetAsync("/v1/rtos?limit=2&registrationManager=VRQA&cursor=" + cursor);
        using var otherListing = await client.GetAsync("/v1/components?cursor=" + cursor);
        using var huge = await client.GetAsync("/v1/rtos?cursor=" + new string('A', 5000));
        var unknown = new Rtgf.Register.RegisterCursor(new string('0', 64), 2, Rtgf.Register.RegisterCursor.TryParse(cursor, out var parsed, out _) ? parsed!.Fingerprint : "").Encode();
        using var gone = await client.GetAsync("/v1/rtos?limit=2&registrationManager=ASQA&cursor=" + unknown);

        Assert.Equal(HttpStatusCode.BadRequest, otherFilter.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherListing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("urn:rtgf:problem:cursor-expired", (string)(await gone.ReadObjectAsync())["type"]!);
    }
}
