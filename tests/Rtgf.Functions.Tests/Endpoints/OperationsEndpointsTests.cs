using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Publishing;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Endpoints;

public sealed class OperationsEndpointsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task ManualRevocation_RevokesWithTheReason_LogsTheKeyNotASpoofedPrincipal_ThenVerifiesAsRevoked()
    {
        using var client = api.CreateClient();

        // App Service authentication is off here, so a client-sent principal header must not become the logged actor.
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL-NAME", "operator@example.gov.au");

        using var response = await client.PostAsJsonAsync("/ops/revocations", new { tokenId = api.Tokens[0].TokenId, reason = "court order" });
        api.Clock.Advance(TimeSpan.FromSeconds(10));
        using var verify = await client.PostAsJsonAsync("/verify", new { token = api.Tokens[0].Jws });
        var verdict = await verify.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("manual", (await response.ReadObjectAsync())["kind"]!.GetValue<string>());
        Assert.Equal("revoked", verdict["reasons"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("court order", verdict["revocation"]!["reason"]!.GetValue<string>());
        Assert.Equal("admin-key", (await OperatorActionAsync("revoke-token", api.Tokens[0].TokenId))["actor"]!.GetValue<string>());
    }

    /// <summary>The operator-action log entry for <paramref name="action"/> on <paramref name="target"/>, read from the log.</summary>
    private async Task<JsonObject> OperatorActionAsync(string action, string target)
    {
        var size = (await api.Integrator.LoadAsync()).Checkpoint.Size;
        for (var index = size - 1; index >= api.TokenBatch.Checkpoint.Size; index--)
        {
            if (JsonNode.Parse(await api.EntryAsync(index)) is JsonObject entry
                && entry["action"]?.GetValue<string>() == action && entry["target"]?.GetValue<string>() == target)
            {
                return entry;
            }
        }

        throw new InvalidOperationException($"No {action} entry for {target} in the log.");
    }

    [Theory]
    [InlineData("{\"tokenId\":\"abc\",\"reason\":\"x\"}", 400)]
    [InlineData("{\"tokenId\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"reason\":\"x\"}", 404)]
    [InlineData("{\"tokenId\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"reason\":\"  \"}", 400)]
    [InlineData("{\"tokenId\":\"0000000000000000000000000000000000000000000000000000000000000000\"}", 400)]
    public async Task ManualRevocation_BadBody_Is4xxProblem(string body, int status)
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsync(new Uri("/ops/revocations", UriKind.Relative), ApiJson.Json(body));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ManualRevocation_WhileAPublicationIsInProgress_IsA503ProblemToRetry()
    {
        using var client = api.CreateClient();
        // A real publication, held once it has taken the head and starts storing its tokens.
        var held = new HeldRecordStore(api.Records, RecordTables.Tokens);
        var added = ApiFixture.Compile("rto:10100");
        var publishing = api.PublishWithAsync([added], api.PublisherOver(held));
        await Task.WhenAny(held.Reached, publishing);
        Assert.True(held.Reached.IsCompleted, "the publication ended before storing its tokens");
        try
        {
            using var busy = await client.PostAsJsonAsync("/ops/revocations", new { tokenId = api.Tokens[2].TokenId, reason = "test" });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            var problem = await busy.ReadObjectAsync();
            Assert.Equal("urn:rtgf:problem:not-ready", problem["type"]!.GetValue<string>());
            Assert.Contains("unfinished", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Null(await api.Revocations.GetRevocationAsync(api.Tokens[2].TokenId));
        }
        finally
        {
            held.Release();
            await publishing;
        }

        using var retried = await client.PostAsJsonAsync("/ops/revocations", new { tokenId = api.Tokens[2].TokenId, reason = "test" });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Fact]
    public async Task Freeze_BlocksManualRevocation_UntilClearedWithAReason()
    {
        using var client = api.CreateClient();
        await api.Freeze.FreezeAsync("sha256:" + new string('d', 64), "determinism check failed");

        using var refused = await client.PostAsJsonAsync("/ops/revocations", new { tokenId = api.Tokens[1].TokenId, reason = "test" });
        var state = await (await client.GetAsync(new Uri("/ops/freeze", UriKind.Relative))).ReadObjectAsync();
        using var cleared = await client.PostAsJsonAsync("/ops/freeze/clear", new { reason = "rebuild matched after fix" });
        using var again = await client.PostAsJsonAsync("/ops/freeze/clear", new { reason = "again" });
        var sync = await (await client.GetAsync(new Uri("/ops/sync-status", UriKind.Relative))).ReadObjectAsync();

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("urn:rtgf:problem:publication-frozen", (await refused.ReadObjectAsync())["type"]!.GetValue<string>());
        Assert.True(state["isFrozen"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal("admin-key", (await cleared.ReadObjectAsync())["clearedBy"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.False(sync["freeze"]!["isFrozen"]!.GetValue<bool>());
        var tga = sync["sources"]!.AsArray().Single(s => s!["source"]!.GetValue<string>() == "tga")!;
        Assert.Equal("run-1", tga["lastSuccessRunId"]!.GetValue<string>());
    }

    [Fact]
    public async Task LogAudit_TheAppsOwnStore_CleanThenAChangedStoredPartialIsAFinding()
    {
        // Its own fixture: the test writes a disagreeing tile into the log store (which has no delete), and no other test
        // of the class may see that store.
        var own = new ApiFixture();
        try
        {
            await ((IAsyncLifetime)own).InitializeAsync();
            await AuditCleanThenChangedPartialAsync(own);
        }
        finally
        {
            await own.DisposeAsync();
            await ((IAsyncLifetime)own).DisposeAsync();
        }
    }

    private static async Task AuditCleanThenChangedPartialAsync(ApiFixture api)
    {
        using var client = api.CreateClient();

        using var clean = await client.GetAsync(new Uri("/ops/log/audit", UriKind.Relative));
        var before = await clean.ReadObjectAsync();
        // A narrower copy of the right-edge tile that disagrees with the current one: an object once served has changed.
        var size = before["size"]!.GetValue<long>();
        var width = size % 256;
        Assert.True(width >= 2, $"The fixture's log (size {size}) must end in a partial tile of at least 2 hashes.");
        var edge = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"tile/0/{size / 256:D3}.p/{width}");
        var current = (await api.Store.GetAsync(edge))!.Content.ToArray();
        current[0] ^= 1;
        // The widest narrower partial the log never wrote (earlier publications left some): create-only, so try down.
        string? narrower = null;
        for (var w = width - 1; w >= 1 && narrower is null; w--)
        {
            var path = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{edge[..edge.LastIndexOf('/')]}/{w}");
            narrower = await api.Store.CreateAsync(path, current.AsMemory(0, (int)w * 32)) ? path : null;
        }

        Assert.NotNull(narrower);
        using var corrupted = await client.GetAsync(new Uri("/ops/log/audit", UriKind.Relative));
        var after = await corrupted.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        Assert.True(before["clean"]!.GetValue<bool>());
        var checkpoint = (await api.Integrator.LoadAsync()).Checkpoint;
        Assert.Equal(checkpoint.Size, size);
        Assert.Equal(checkpoint.RootHashBase64, before["rootHash"]!.GetValue<string>());
        Assert.Equal(checkpoint.Size, before["entriesChecked"]!.GetValue<long>());
        Assert.Empty(before["findings"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, corrupted.StatusCode);
        Assert.False(after["clean"]!.GetValue<bool>());
        Assert.Equal(1, after["findingCount"]!.GetValue<long>());
        Assert.Equal("object-changed", after["findings"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(narrower, after["findings"]![0]!["path"]!.GetValue<string>());
    }
}
