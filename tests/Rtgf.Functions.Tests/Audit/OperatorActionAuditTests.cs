using System.Net;
using System.Net.Http.Json;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Functions.Tests.Audit;

/// <summary>Freezes (set by the QA stage, cleared by an operator) and manual revocations write audit entries, once each.</summary>
public sealed class OperatorActionAuditTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task AFreeze_IsAuditedWhenSetAndWhenCleared_AndAManualRevocationOnceWhenRetried()
    {
        using var client = api.CreateClient();
        await api.Freeze.FreezeAsync("sha256:" + new string('e', 64), "determinism check failed");
        await api.Freeze.FreezeAsync("sha256:" + new string('e', 64), "determinism check failed"); // a retried QA message
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        using var cleared = await client.PostAsJsonAsync("/ops/freeze/clear", new { reason = "rebuild matched after fix" });
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        using var revoked = await client.PostAsJsonAsync("/ops/revocations", new { tokenId = api.Tokens[0].TokenId, reason = "court order" });
        using var retried = await client.PostAsJsonAsync("/ops/revocations", new { tokenId = api.Tokens[0].TokenId, reason = "court order" });
        var entries = await ReadAllAsync(client);

        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(
            [AuditActions.RevocationManual, AuditActions.FreezeCleared, AuditActions.FreezeSet],
            entries.Select(e => e["action"]!.GetValue<string>()));
        Assert.Equal(["admin-key", "admin-key", AuditedPublicationFreeze.DeterminismHarnessActor], entries.Select(e => e["actor"]!.GetValue<string>()));
        Assert.Equal(api.Tokens[0].TokenId, entries[0]["subject"]!.GetValue<string>());
        Assert.Equal("court order", entries[0]["details"]!["reason"]!.GetValue<string>());
        Assert.Equal("rebuild matched after fix", entries[1]["details"]!["reason"]!.GetValue<string>());
        Assert.Equal("sha256:" + new string('e', 64), entries[2]["subject"]!.GetValue<string>());
    }

    private static async Task<List<System.Text.Json.Nodes.JsonObject>> ReadAllAsync(HttpClient client)
    {
        var page = await (await client.GetAsync(new Uri("/ops/audit?limit=200", UriKind.Relative))).ReadObjectAsync();
        return [.. page["entries"]!.AsArray().Select(e => e!.AsObject())];
    }
}
