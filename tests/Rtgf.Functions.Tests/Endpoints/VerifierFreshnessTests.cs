using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Functions.Tests.Support;
using Rtgf.Functions.Verification;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>
/// <c>POST /verify</c> right after a publication: a key or epoch the registry already serves is used at once, not after
/// the verifier's cache ages out, and unknown kids cannot make it read the key set more than once per refresh interval.
/// </summary>
public sealed class VerifierFreshnessTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Verify_TokenFromAKeyCertifiedASecondEarlier_IsValid()
    {
        Assert.True((await VerifyAsync(api.Tokens[0].Jws))["valid"]!.GetValue<bool>()); // the verifier holds the key set now
        // A publication certifies a fresh key and signs its new token with it.
        var added = ApiFixture.Compile("rto:20000");
        await api.PublishWithAsync([added]);
        var token = await api.GetTokenAsync(added.TokenId);
        api.Clock.Advance(TimeSpan.FromSeconds(1));

        var verdict = await VerifyAsync(token.Jws);

        Assert.True(verdict["valid"]!.GetValue<bool>(), verdict.ToJsonString());
        Assert.NotEqual(api.PublicationKid, verdict["claims"]!["kid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_TokenOfANewerEpochRevokedJustNow_IsRevoked()
    {
        var before = await VerifyAsync(api.Tokens[0].Jws); // the verifier holds the epoch and the family's list now
        var heldEpoch = before["status"]!["currentEpoch"]!.GetValue<long>();
        // A publication at a new epoch issues a token; a second one revokes it.
        await api.Revocations.RevokeAsync(api.Tokens[3].TokenId, "TGA: registration cancelled");
        var issuedIn = await api.Revocations.GetEpochAsync();
        var added = ApiFixture.Compile("rto:30000");
        await api.PublishWithAsync([added]);
        var token = await api.GetTokenAsync(added.TokenId);
        await api.Revocations.RevokeAsync(added.TokenId, "TGA: scope withdrawn");
        api.Clock.Advance(TimeSpan.FromSeconds(1));

        var verdict = await VerifyAsync(token.Jws);

        Assert.True(issuedIn > heldEpoch);
        Assert.Equal(issuedIn, token.RevocationEpoch);
        Assert.Equal(["revoked"], Codes(verdict));
        Assert.Equal("TGA: scope withdrawn", verdict["revocation"]!["reason"]!.GetValue<string>());
        Assert.Equal(await api.Revocations.GetEpochAsync(), verdict["status"]!["listEpoch"]!.GetValue<long>());
        Assert.Equal(await api.Revocations.GetEpochAsync(), verdict["status"]!["currentEpoch"]!.GetValue<long>());
    }

    [Fact]
    public async Task Verify_ManyConcurrentUnknownKids_ShareRateLimitedKeySetReads_AndEachIsUnknownKid()
    {
        const int Requests = 48;
        Assert.True((await VerifyAsync(api.Tokens[0].Jws))["valid"]!.GetValue<bool>());
        var tokens = new List<string>(Requests);
        for (var i = 0; i < Requests; i++)
        {
            using var stranger = LocalDevelopmentSigner.Create();
            tokens.Add(await new ReferenceTokenWriter(stranger).WriteAsync(ApiFixture.Claims("rto:10000", 0, ApiFixture.IssuedAt.AddDays(365))));
        }

        var readsBefore = api.KeyReads.Reads;
        var timersBefore = api.Clock.PendingTimers;
        var requests = tokens.Select(VerifyAsync).ToList();
        // Each unknown kid waits (on a bounded-wait timer) for a key-set read that starts after it arrived; reads start at
        // most once per interval. Once every request is answered or waiting, and the next read is scheduled, let it start.
        await Eventually.ProbeAsync(
            () => Task.FromResult(requests.Count(r => r.IsCompleted) + api.Clock.PendingTimers - timersBefore),
            settled => settled == Requests + 1 || requests.All(r => r.IsCompleted),
            TimeSpan.FromSeconds(30),
            "every request to be answered or waiting for the next key-set read");
        api.Clock.Advance(KeySetVerifiers.MinRefreshInterval);
        var verdicts = await Task.WhenAll(requests);

        Assert.All(verdicts, v => Assert.Equal(["unknown-kid"], Codes(v)));
        Assert.InRange(api.KeyReads.Reads - readsBefore, 1, 2); // a read at once (when the interval allows), then one shared by the rest
    }

    [Fact]
    public async Task VerifyBatch_ManyUnknownKids_ShareOneKeySetRead()
    {
        Assert.True((await VerifyAsync(api.Tokens[0].Jws))["valid"]!.GetValue<bool>());
        api.Clock.Advance(KeySetVerifiers.MinRefreshInterval); // the next read may start at once
        var tokens = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var stranger = LocalDevelopmentSigner.Create();
            tokens.Add(await new ReferenceTokenWriter(stranger).WriteAsync(ApiFixture.Claims("rto:10000", 0, ApiFixture.IssuedAt.AddDays(365))));
        }

        var readsBefore = api.KeyReads.Reads;
        using var client = api.CreateClient();
        using var response = await client.PostAsJsonAsync("/verify/batch", new { tokens });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.ReadObjectAsync())["results"]!.AsArray();
        Assert.All(results, v => Assert.Equal(["unknown-kid"], Codes(v!.AsObject())));
        Assert.Equal(1, api.KeyReads.Reads - readsBefore);
    }

    [Fact]
    public async Task Verify_UnknownKidWhileTheKeyStoreStalls_Is503NotReady_AfterTheMaximumWait()
    {
        Assert.True((await VerifyAsync(api.Tokens[0].Jws))["valid"]!.GetValue<bool>());
        api.Clock.Advance(KeySetVerifiers.MinRefreshInterval);
        using var stranger = LocalDevelopmentSigner.Create();
        var token = await new ReferenceTokenWriter(stranger).WriteAsync(ApiFixture.Claims("rto:10000", 0, ApiFixture.IssuedAt.AddDays(365)));
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        api.KeyReads.Hold = hold;
        var readsBefore = api.KeyReads.Reads;
        var timersBefore = api.Clock.PendingTimers;
        try
        {
            using var client = api.CreateClient();
            var pending = client.PostAsJsonAsync("/verify", new { token });
            await Eventually.ProbeAsync(
                () => Task.FromResult((api.KeyReads.Reads - readsBefore, api.Clock.PendingTimers - timersBefore)),
                waiting => waiting == (1, 1),
                TimeSpan.FromSeconds(30),
                "the key-set read to stall and the request to wait for it");
            api.Clock.Advance(KeySetVerifiers.MaxWait);
            using var response = await pending;

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("urn:rtgf:problem:not-ready", (await response.ReadObjectAsync())["type"]!.GetValue<string>());
        }
        finally
        {
            api.KeyReads.Hold = null;
            hold.SetResult();
        }
    }

    private static List<string> Codes(JsonObject verdict) => [.. verdict["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>())];

    private async Task<JsonObject> VerifyAsync(string token)
    {
        using var client = api.CreateClient();
        using var response = await client.PostAsJsonAsync("/verify", new { token });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }
}
