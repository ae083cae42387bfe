using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Functions.Tests.Support;
using Rtgf.Transparency.Checkpoints;

namespace Rtgf.Functions.Tests.Endpoints;

public sealed class VerifierEndpointsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Verify_ValidToken_IsValidWithClaimsAndStatus()
    {
        var verdict = await VerifyAsync(new { token = api.Tokens[0].Jws });

        Assert.True(verdict["valid"]!.GetValue<bool>(), verdict.ToJsonString());
        Assert.Empty(verdict["reasons"]!.AsArray());
        Assert.Equal(api.Tokens[0].TokenId, verdict["claims"]!["tokenId"]!.GetValue<string>());
        Assert.Equal("rto:10000", verdict["claims"]!["subject"]!.GetValue<string>());
        Assert.Equal(api.PublicationKid, verdict["claims"]!["kid"]!.GetValue<string>());
        Assert.Equal(0, verdict["status"]!["value"]!.GetValue<int>());
    }

    [Fact]
    public async Task Verify_AfterExpiry_NamesExpired()
    {
        var verdict = await VerifyAsync(new { token = api.Tokens[0].Jws, at = "2027-06-01T00:00:00Z" });

        Assert.False(verdict["valid"]!.GetValue<bool>());
        Assert.Equal(["expired"], Codes(verdict));
    }

    [Fact]
    public async Task Verify_WithinTheClockSkewAfterExpiry_IsValid()
    {
        var expires = api.Tokens[0].Expires;

        var verdict = await VerifyAsync(new { token = api.Tokens[0].Jws, at = expires.AddSeconds(59).ToString("O", System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(verdict["valid"]!.GetValue<bool>(), verdict.ToJsonString());
    }

    [Fact]
    public async Task Verify_TamperedPayload_NamesInvalidSignature()
    {
        var parts = api.Tokens[0].Jws.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlStrict.Decode(parts[1], "payload")).Replace("rto:10000", "rto:99999", StringComparison.Ordinal);
        var tampered = parts[0] + "." + Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(payload)) + "." + parts[2];

        var verdict = await VerifyAsync(new { token = tampered });

        Assert.Contains("invalid-signature", Codes(verdict));
        Assert.False(verdict["valid"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("RS256")]
    public async Task Verify_OtherAlgorithm_NamesUnsupportedAlgorithm(string alg)
    {
        var parts = api.Tokens[0].Jws.Split('.');
        var header = Base64UrlStrict.Encode(Encoding.UTF8.GetBytes($"{{\"alg\":\"{alg}\",\"kid\":\"{api.PublicationKid}\",\"typ\":\"rtgf-ref+jwt\"}}"));

        var verdict = await VerifyAsync(new { token = header + "." + parts[1] + "." + parts[2] });

        Assert.Contains("unsupported-algorithm", Codes(verdict));
        Assert.False(verdict["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Verify_UnknownKid_NamesUnknownKid()
    {
        using var other = LocalDevelopmentSigner.Create();
        var token = await new ReferenceTokenWriter(other).WriteAsync(ApiFixture.Claims("rto:10000", 0, ApiFixture.IssuedAt.AddDays(365)));

        var verdict = await VerifyAsync(new { token });

        Assert.Equal(["unknown-kid"], Codes(verdict));
    }

    [Fact]
    public async Task Verify_RevokedToken_NamesRevokedWithTheReason()
    {
        await api.Revocations.RevokeAsync(api.Tokens[4].TokenId, "TGA: registration cancelled");
        api.Clock.Advance(TimeSpan.FromSeconds(10));

        var verdict = await VerifyAsync(new { token = api.Tokens[4].Jws });

        Assert.Equal(["revoked"], Codes(verdict));
        Assert.Contains("TGA: registration cancelled", verdict["reasons"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("TGA: registration cancelled", verdict["revocation"]!["reason"]!.GetValue<string>());
        Assert.Equal(1, verdict["status"]!["value"]!.GetValue<int>());
    }

    [Fact]
    public async Task Verify_WithCheckpointAndLogIndex_ChecksInclusion()
    {
        var token = api.Tokens[1];

        var verdict = await VerifyAsync(new { token = token.Jws, checkpoint = api.TokenBatch.CheckpointNote, proof = new { logIndex = token.LogIndex } });

        Assert.True(verdict["valid"]!.GetValue<bool>(), verdict.ToJsonString());
        Assert.True(verdict["proof"]!["included"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Verify_WithTheWrongLogIndex_NamesEntryMismatch()
    {
        var verdict = await VerifyAsync(new { token = api.Tokens[1].Jws, checkpoint = api.TokenBatch.CheckpointNote, proof = new { logIndex = api.Tokens[2].LogIndex } });

        Assert.Equal(["entry-mismatch"], Codes(verdict));
    }

    [Fact]
    public async Task Verify_WithAForeignCheckpoint_NamesCheckpointInvalid()
    {
        using var other = LocalDevelopmentSigner.Create();
        var note = await new NoteSigner(ApiFixture.Origin, other).SignAsync(api.TokenBatch.Checkpoint.ToText());

        var verdict = await VerifyAsync(new { token = api.Tokens[1].Jws, checkpoint = note, proof = new { logIndex = api.Tokens[1].LogIndex } });

        Assert.Equal(["checkpoint-invalid"], Codes(verdict));
    }

    [Fact]
    public async Task VerifyBatch_VerdictsInRequestOrder()
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/verify/batch", new { tokens = new[] { api.Tokens[0].Jws, "not.a.token", api.Tokens[1].Jws } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadObjectAsync();
        Assert.Equal(3, result["count"]!.GetValue<int>());
        Assert.Equal(2, result["valid"]!.GetValue<int>());
        Assert.False(result["results"]![1]!["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task VerifyBatch_OverTheCap_Is413BatchTooLarge()
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/verify/batch", new { tokens = Enumerable.Repeat("a.b.c", 101) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("urn:rtgf:problem:batch-too-large", (await response.ReadObjectAsync())["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("text/plain", "{\"token\":\"a.b.c\"}", 415, "urn:rtgf:problem:unsupported-media-type")]
    [InlineData("application/json", "{\"token\":", 400, "urn:rtgf:problem:invalid-json")]
    [InlineData("application/json", "[1,2]", 400, "urn:rtgf:problem:invalid-json")]
    [InlineData("application/json", "{\"token\":42}", 400, "urn:rtgf:problem:invalid-json")]
    [InlineData("application/json", "{\"token\":\"a.b.c\",\"at\":\"yesterday\"}", 400, "urn:rtgf:problem:invalid-json")]
    [InlineData("application/json", "{\"token\":\"a.b.c\",\"proof\":{\"logIndex\":1}}", 400, "urn:rtgf:problem:invalid-json")]
    [InlineData("application/json", "{\"token\":\"a.b.c\",\"checkpoint\":\"x\",\"proof\":{\"logIndex\":99999999999999999999}}", 400, "urn:rtgf:problem:invalid-json")]
    [InlineData("application/json", "{\"token\":\"a\",\"token\":\"b\"}", 400, "urn:rtgf:problem:invalid-json")]
    public async Task Verify_BadBody_Is4xxProblem(string contentType, string body, int status, string type)
    {
        using var client = api.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        using var response = await client.PostAsync(new Uri("/verify", UriKind.Relative), content);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(type, (await response.ReadObjectAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_OversizedBody_Is413()
    {
        using var client = api.CreateClient();
        using var content = ApiJson.Json("{\"token\":\"" + new string('a', 70_000) + "\"}");

        using var response = await client.PostAsync(new Uri("/verify", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("urn:rtgf:problem:payload-too-large", (await response.ReadObjectAsync())["type"]!.GetValue<string>());
    }

    private static List<string> Codes(JsonObject verdict) => [.. verdict["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>())];

    private async Task<JsonObject> VerifyAsync(object body)
    {
        using var client = api.CreateClient();
        using var response = await client.PostAsJsonAsync("/verify", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }
}
