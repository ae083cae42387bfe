using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Access;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary><c>/ops/api-keys</c>: create, list, read, rotate and revoke, with the actor recorded and no secret shown twice.</summary>
public sealed class ApiKeyEndpointsTests(AccessFixture access) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task Create_ShowsTheKeyOnce_ListAndGetNeverShowSecretsOrHashes()
    {
        using var client = access.A.CreateClient();

        using var created = await client.PostAsJsonAsync("/ops/api-keys", new { name = "Acme RTO portal", owner = "ops@acme.example", scopes = new[] { "mcp", "catalogue:read" }, plan = "standard" });
        var body = await created.ReadObjectAsync();
        var key = body["key"]!.GetValue<string>();
        var id = body["apiKey"]!["id"]!.GetValue<string>();
        using var get = await client.GetAsync(new Uri("/ops/api-keys/" + id, UriKind.Relative));
        var listed = await FindInListAsync(client, id);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/ops/api-keys/" + id, created.Headers.Location?.ToString());
        Assert.Matches("^rtgf_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$", key);
        Assert.StartsWith("rtgf_" + id + "_", key, StringComparison.Ordinal);
        Assert.Equal("admin-key", body["apiKey"]!["createdBy"]!.GetValue<string>());
        Assert.Equal(["catalogue:read", "mcp"], body["apiKey"]!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("standard", body["apiKey"]!["plan"]!.GetValue<string>());
        Assert.Equal("active", body["apiKey"]!["status"]!.GetValue<string>());
        var record = await get.ReadObjectAsync();
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("Acme RTO portal", record["name"]!.GetValue<string>());
        foreach (var view in new[] { record, listed })
        {
            var text = view.ToJsonString();
            Assert.DoesNotContain(key[(key.LastIndexOf('_') + 1)..], text, StringComparison.Ordinal);
            Assert.Null(view["hash"]);
            Assert.Null(view["key"]);
        }
    }

    [Fact]
    public async Task Rotate_GivesANewSecret_TheOldOneStops_AndRevokeRecordsActorAndReason()
    {
        var (oldKey, id) = await access.CreateKeyAsync();
        using var client = access.A.CreateClient();

        using var rotated = await client.PostAsync(new Uri($"/ops/api-keys/{id}/rotate", UriKind.Relative), null);
        var rotatedBody = await rotated.ReadObjectAsync();
        var newKey = rotatedBody["key"]!.GetValue<string>();
        using var withOld = await AccessFixture.GetAsync(access.A, "/v1", oldKey, "10.30.0.1");
        using var withNew = await AccessFixture.GetAsync(access.A, "/v1", newKey, "10.30.0.1");
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL-NAME", "spoofed@example.org"); // Easy Auth is off: not believed
        using var revoked = await client.PostAsJsonAsync($"/ops/api-keys/{id}/revoke", new { reason = "customer left" });
        var revokedBody = await revoked.ReadObjectAsync();
        using var again = await client.PostAsJsonAsync($"/ops/api-keys/{id}/revoke", new { reason = "second time" });
        using var rotateRevoked = await client.PostAsync(new Uri($"/ops/api-keys/{id}/rotate", UriKind.Relative), null);
        using var afterRevoke = await AccessFixture.GetAsync(access.A, "/v1", newKey, "10.30.0.1");

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.StartsWith("rtgf_" + id + "_", newKey, StringComparison.Ordinal);
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal("admin-key", rotatedBody["apiKey"]!["rotatedBy"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("revoked", revokedBody["status"]!.GetValue<string>());
        Assert.Equal("admin-key", revokedBody["revokedBy"]!.GetValue<string>());
        Assert.Equal("customer left", revokedBody["revokedReason"]!.GetValue<string>());
        Assert.Equal("customer left", (await again.ReadObjectAsync())["revokedReason"]!.GetValue<string>()); // the first revocation stays
        Assert.Equal(HttpStatusCode.Conflict, rotateRevoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task Rotate_AnExpiredKey_Is409KeyExpired_AndLeavesTheRecordAlone()
    {
        var (_, id) = await access.CreateKeyAsync(expiresAt: access.Clock.GetUtcNow().AddHours(1));
        using var client = access.A.CreateClient();
        access.Clock.Advance(TimeSpan.FromHours(1));

        using var rotate = await client.PostAsync(new Uri($"/ops/api-keys/{id}/rotate", UriKind.Relative), null);
        using var after = await client.GetAsync(new Uri("/ops/api-keys/" + id, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, rotate.StatusCode);
        var problem = await rotate.ReadObjectAsync();
        Assert.Equal("urn:rtgf:problem:key-expired", problem["type"]!.GetValue<string>());
        Assert.Contains(id, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null((await after.ReadObjectAsync())["rotatedAt"]);
    }

    [Fact]
    public async Task List_PagesToTheEndWithoutDuplicates()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await access.CreateKeyAsync()).Id);
        }

        using var client = access.A.CreateClient();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonObject>("/ops/api-keys?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page!["keys"]!.AsArray().Select(k => k!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), ids.ToHashSet());
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
    }

    [Theory]
    [InlineData("{}", 400)]
    [InlineData("{\"name\":\"a\",\"owner\":\"b\",\"scopes\":[]}", 400)]
    [InlineData("{\"name\":\"a\",\"owner\":\"b\",\"scopes\":[\"admin\"]}", 400)]
    [InlineData("{\"name\":\"a\",\"owner\":\"b\",\"scopes\":[\"mcp\"],\"plan\":\"platinum\"}", 400)]
    [InlineData("{\"name\":\"a\",\"owner\":\"b\",\"scopes\":[\"mcp\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}", 400)]
    [InlineData("{\"name\":\"a\",\"owner\":\"b\",\"scopes\":[\"mcp\"],\"expiresAt\":\"tomorrow\"}", 400)]
    [InlineData("{\"name\":\"\\u0007\",\"owner\":\"b\",\"scopes\":[\"mcp\"]}", 400)]
    [InlineData("{\"name\":\"a\",\"owner\":7,\"scopes\":[\"mcp\"]}", 400)]
    [InlineData("[1]", 400)]
    [InlineData("not json", 400)]
    public async Task Create_BadBody_Is400Problem(string body, int status)
    {
        using var client = access.A.CreateClient();

        using var response = await client.PostAsync(new Uri("/ops/api-keys", UriKind.Relative), ApiJson.Json(body));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "/ops/api-keys/NOT-AN-ID", null, 400)]
    [InlineData("GET", "/ops/api-keys/aaaaaaaaaaaaaaaa", null, 404)]
    [InlineData("POST", "/ops/api-keys/aaaaaaaaaaaaaaaa/rotate", null, 404)]
    [InlineData("POST", "/ops/api-keys/aaaaaaaaaaaaaaaa/revoke", "{\"reason\":\"x\"}", 404)]
    [InlineData("POST", "/ops/api-keys/aaaaaaaaaaaaaaaa/revoke", "{}", 400)]
    [InlineData("GET", "/ops/api-keys?limit=0", null, 400)]
    [InlineData("GET", "/ops/api-keys?limit=abc", null, 400)]
    [InlineData("GET", "/ops/api-keys?cursor=***", null, 400)]
    public async Task BadIdsAndQueries_Are4xxProblems(string method, string path, string? body, int status)
    {
        using var client = access.A.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : ApiJson.Json(body) };

        using var response = await client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonObject> FindInListAsync(HttpClient client, string id)
    {
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonObject>("/ops/api-keys?limit=200" + (cursor is null ? "" : "&cursor=" + cursor));
            if (page!["keys"]!.AsArray().FirstOrDefault(k => k!["id"]!.GetValue<string>() == id) is JsonObject found)
            {
                return found;
            }

            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        throw new InvalidOperationException($"{id} is not listed.");
    }
}
