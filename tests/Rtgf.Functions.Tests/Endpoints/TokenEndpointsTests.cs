using System.Net;
using Rtgf.Functions.Tests.Support;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Functions.Tests.Endpoints;

public sealed class TokenEndpointsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Token_ById_HasJwsAndAProofToTheCheckpointItCarries()
    {
        using var client = api.CreateClient();
        var token = api.Tokens[1];

        using var response = await client.GetAsync(new Uri("/tokens/" + token.TokenId, UriKind.Relative));
        var document = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal(token.Jws, document["jws"]!.GetValue<string>());
        var proof = document["inclusionProof"]!;
        var checkpoint = CheckpointVerifier.Verify(proof["checkpoint"]!.GetValue<string>(), [NoteVerifierKey.Parse(api.VerifierKey)], ApiFixture.Origin);
        Assert.True(checkpoint.IsValid);
        var hashes = proof["hashes"]!.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToList();
        var leaf = MerkleHash.Leaf(await api.EntryAsync(token.LogIndex));
        Assert.Contains(TokenDigest(token.Jws), System.Text.Encoding.UTF8.GetString(await api.EntryAsync(token.LogIndex)), StringComparison.Ordinal);
        Assert.True(MerkleProofVerifier.VerifyInclusion(token.LogIndex, checkpoint.Checkpoint!.Size, leaf, hashes, checkpoint.Checkpoint.RootHash).IsValid);
    }

    [Fact]
    public async Task Token_ById_IsTheRouteValue_NotAQueryValueOfTheSameName()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri($"/tokens/{api.Tokens[1].TokenId}?id={api.Tokens[2].TokenId}", UriKind.Relative));
        var document = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(api.Tokens[1].Jws, document["jws"]!.GetValue<string>());
    }

    [Fact]
    public async Task NotFound_IsAProblemWithATraceId()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri("/tokens/" + new string('0', 64), UriKind.Relative));
        var problem = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["traceId"]?.GetValue<string>()), problem.ToJsonString());
    }

    [Theory]
    [InlineData("/tokens/ABC", 400)]
    [InlineData("/tokens/0000000000000000000000000000000000000000000000000000000000000000", 404)]
    [InlineData("/tokens", 400)]
    [InlineData("/tokens?subject=", 400)]
    [InlineData("/tokens?subject=rto:10000&family=Not_A_Family", 400)]
    public async Task BadOrUnknown_Is4xxProblem(string path, int status)
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TokensBySubject_AreTheLatestPerFamily()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri("/tokens?subject=rto:10002&family=" + ApiFixture.Family, UriKind.Relative));
        var result = await response.ReadObjectAsync();

        var token = Assert.Single(result["tokens"]!.AsArray());
        Assert.Equal(api.Tokens[2].TokenId, token!["tokenId"]!.GetValue<string>());
    }

    private static string TokenDigest(string jws) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(jws)));
}
