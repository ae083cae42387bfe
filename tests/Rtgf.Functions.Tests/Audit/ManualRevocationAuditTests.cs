using System.Net;
using System.Net.Http.Json;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Functions.Tests.Audit;

/// <summary><c>POST /ops/revocations</c> for a token the pipeline already revoked answers that revocation and audits nothing: no operator revoked it.</summary>
public sealed class ManualRevocationAuditTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task RevokingATokenRevokedAutomatically_RecordsNoManualRevocation()
    {
        var gone = api.Compiled[0];
        await api.PublishAsync(TestBuilds.Build([.. api.Compiled.Skip(1)])); // its subject left the source: revoked automatically
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/ops/revocations", new { tokenId = gone.TokenId, reason = "court order" });
        var revocation = await response.ReadObjectAsync();
        var page = await (await client.GetAsync(new Uri("/ops/audit?limit=200", UriKind.Relative))).ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("automatic", revocation["kind"]!.GetValue<string>());
        Assert.DoesNotContain(page["entries"]!.AsArray(), e => e!["action"]!.GetValue<string>() == AuditActions.RevocationManual);
    }
}
