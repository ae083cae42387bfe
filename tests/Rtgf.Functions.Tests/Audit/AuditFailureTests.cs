using System.Net;
using System.Net.Http.Json;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Functions.Tests.Audit;

/// <summary>
/// When the audit write fails (here: the audit table is deleted under the running app, so Table storage refuses the
/// write), the action stays done, the answer is a 503 audit-failed problem without secrets, and a repeated idempotent
/// request records the entry once.
/// </summary>
public sealed class AuditFailureTests
{
    [Fact]
    public async Task AFailedAuditWrite_KeepsTheAction_AnswersAuditFailed_AndARetriedRevokeRecordsItOnce()
    {
        await using var app = new AuditApp();
        await app.InitializeAsync();
        var (_, id) = await app.CreateKeyAsync(); // creates the audit table and its first entry
        var table = app.Azurite.TableService().GetTableClient(app.AuditTableName);
        await table.DeleteAsync();
        using var client = app.CreateClient();

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        using var revoke = await client.PostAsJsonAsync($"/ops/api-keys/{id}/revoke", new { reason = "left" });
        var revokeProblem = await revoke.ReadObjectAsync();
        using var create = await client.PostAsJsonAsync("/ops/api-keys", new { name = "unaudited", owner = "tests@example.org", scopes = new[] { "mcp" } });
        var createText = await create.Content.ReadAsStringAsync();
        using var afterRevoke = await client.GetAsync(new Uri("/ops/api-keys/" + id, UriKind.Relative));
        var keys = await (await client.GetAsync(new Uri("/ops/api-keys", UriKind.Relative))).ReadObjectAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, revoke.StatusCode);
        Assert.Equal("urn:rtgf:problem:audit-failed", revokeProblem["type"]!.GetValue<string>());
        Assert.Contains("Repeat the request", revokeProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("revoked", (await afterRevoke.ReadObjectAsync())["status"]!.GetValue<string>()); // not rolled back
        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.Contains("urn:rtgf:problem:audit-failed", createText, StringComparison.Ordinal);
        Assert.DoesNotContain("rtgf_", createText, StringComparison.Ordinal); // the secret is never put in a problem
        Assert.Equal(2, keys["keys"]!.AsArray().Count); // the key was created all the same
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Audit entry not written for api-key.revoked", StringComparison.Ordinal));

        await table.CreateIfNotExistsAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        using var retried = await client.PostAsJsonAsync($"/ops/api-keys/{id}/revoke", new { reason = "left" });
        using var retriedAgain = await client.PostAsJsonAsync($"/ops/api-keys/{id}/revoke", new { reason = "left" });
        var revocations = await app.ReadAllAsync("&action=" + AuditActions.ApiKeyRevoked);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retriedAgain.StatusCode);
        var entry = Assert.Single(revocations);
        Assert.Equal(id, entry["subject"]!.GetValue<string>());
        Assert.Equal(AuditApp.Start.AddMinutes(1), entry["at"]!.GetValue<DateTimeOffset>()); // the revocation's own instant
    }
}
