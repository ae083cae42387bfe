using Rtgf.Core.Signing;
using Rtgf.Functions.Log;
using Rtgf.Functions.Tests.Support;
using Rtgf.Functions.Verification;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Functions.Tests.Verification;

/// <summary>
/// What an anonymous caller can make the verifier spend: the real <see cref="TokenVerification"/>, key-set cache and status
/// lists over the fixture's stores, with the reads counted at the store boundary and certificate checks counted by the verifier.
/// </summary>
public sealed class TokenVerificationCostTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task BatchAtAnInstant_ChecksTheSigningCertificateOnce_WhateverTheKeySetHolds()
    {
        // Tokens 0-3 (another test of this class revokes token 4). 30 other certified keys in the set (older publications): none is checked, and the one that signed is checked once.
        var others = new List<CertifiedSigner>();
        for (var i = 0; i < 30; i++)
        {
            others.Add(await CertifiedSigner.CreateAsync(api.Issuer, ApiFixture.BaseUrl, ApiFixture.IssuedAt.AddDays(-1), ApiFixture.IssuedAt));
        }

        try
        {
            var served = await api.KeyReads.GetAsync();
            var keys = new FixedKeySet(new JsonWebKeySet([.. served.Keys, .. others.Select(o => o.ToJsonWebKey())]));
            var (verification, keySets, reads) = Build(keys);
            var at = ApiFixture.IssuedAt.AddDays(2);

            for (var i = 0; i < 40; i++)
            {
                var verdict = await verification.VerifyAsync(api.Tokens[i % 4].Jws, at, null, null, verification.KeySetMark, CancellationToken.None);
                Assert.True(verdict.Valid, string.Join("; ", verdict.Reasons));
            }

            var loaded = await keySets.GetAsync(CancellationToken.None);
            Assert.Equal(1, loaded.Verifier.CertificateChecks);
            Assert.Equal(1, reads.ListReads);
        }
        finally
        {
            others.ForEach(o => o.Dispose());
        }
    }

    [Fact]
    public async Task BadSignature_ReadsNoStatusEpochOrRevocation()
    {
        var (verification, _, reads) = Build(api.KeyReads);
        var parts = api.Tokens[0].Jws.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + api.Tokens[1].Jws.Split('.')[2];

        var verdict = await verification.VerifyAsync(forged, null, null, null, verification.KeySetMark, CancellationToken.None);

        Assert.Contains(verdict.Reasons, r => r.Code == "invalid-signature");
        Assert.Null(verdict.Status);
        Assert.Equal(0, reads.Reads);
    }

    [Fact]
    public async Task MissingStatusList_IsRememberedForTheMaxAge()
    {
        var (verification, _, reads) = Build(api.KeyReads);
        var token = await AdversarialTokens.WithListUriAsync(api.Publication, "rto:50000", ApiFixture.BaseUrl + "/revocations/status-lists/" + ApiFixture.Family + "/7");

        for (var i = 0; i < 5; i++)
        {
            var verdict = await verification.VerifyAsync(token, null, null, null, verification.KeySetMark, CancellationToken.None);
            Assert.Equal(["status-list-unknown"], verdict.Reasons.Select(r => r.Code));
        }

        Assert.Equal(1, reads.ListReads);
        api.Clock.Advance(StatusLists.MaxAge);
        await verification.VerifyAsync(token, null, null, null, verification.KeySetMark, CancellationToken.None);
        Assert.Equal(2, reads.ListReads);
    }

    [Fact]
    public async Task MissingStatusList_TokenOfALaterEpoch_LooksAgainAtOnce()
    {
        var (verification, _, reads) = Build(api.KeyReads);
        var listUri = ApiFixture.BaseUrl + "/revocations/status-lists/" + ApiFixture.Family + "/8";
        var early = await AdversarialTokens.WithListUriAsync(api.Publication, "rto:50001", listUri, await api.Revocations.GetEpochAsync());
        await verification.VerifyAsync(early, null, null, null, verification.KeySetMark, CancellationToken.None);
        await api.Revocations.RevokeAsync(api.Tokens[4].TokenId, "a later publication");
        var later = await AdversarialTokens.WithListUriAsync(api.Publication, "rto:50002", listUri, await api.Revocations.GetEpochAsync());
        api.Clock.Advance(StatusLists.MinRefreshInterval);

        await verification.VerifyAsync(later, null, null, null, verification.KeySetMark, CancellationToken.None);

        Assert.Equal(2, reads.ListReads);
    }

    [Fact]
    public async Task StatusUriWithAnOverlongSegment_InvalidReferenceWithoutAStoreRead()
    {
        var (verification, _, reads) = Build(api.KeyReads);
        var token = await AdversarialTokens.WithListUriAsync(api.Publication, "rto:50003", AdversarialTokens.LongSegmentListUri);

        var verdict = await verification.VerifyAsync(token, null, null, null, verification.KeySetMark, CancellationToken.None);

        Assert.Equal(["status-reference-invalid"], verdict.Reasons.Select(r => r.Code));
        Assert.Equal(0, reads.ListReads);
    }

    [Theory]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/0", "rto-registration/0")]
    [InlineData("https://registry.example/api/revocations/status-lists/a-b-9/123", "a-b-9/123")]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/007", "rto-registration/7")]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/0/1", null)]
    [InlineData("http://localhost/revocations/status-lists/Rto/0", null)]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/-1", null)]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/99999999999999999999", null)]
    [InlineData("http://localhost/revocations/status-lists/../../etc", null)]
    [InlineData("http://localhost/revocations/status-lists/", null)]
    [InlineData("not a uri", null)]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/0?x=1", null)]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/0?", null)]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/0#x", null)]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/0/", null)]
    [InlineData("http://localhost/revocations/status-lists/other/revocations/status-lists/rto-registration/3", "rto-registration/3")]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/0/revocations/status-lists/rto-registration/1", "rto-registration/1")]
    [InlineData("http://localhost/revocations/status-lists/revocations/status-lists/rto-registration/2", "rto-registration/2")]
    [InlineData("http://localhost/revocations/status-lists/rto-registration/0/revocations/status-lists/", null)]
    public void ListId_OnlyFamilyAndNumber(string uri, string? expected) => Assert.Equal(expected, TokenVerification.ListId(uri));

    [Fact]
    public void ListId_SegmentOver512Characters_Refused() => Assert.Null(TokenVerification.ListId(AdversarialTokens.LongSegmentListUri));

    private (TokenVerification Verification, KeySetVerifiers KeySets, CountingRevocationReader Reads) Build(IKeySetReader keys)
    {
        var reads = new CountingRevocationReader(api.RevocationReader);
#pragma warning disable CA2000 // Lives for the test; holds only verifiers of test keys.
        var keySets = new KeySetVerifiers(keys, api.Clock);
#pragma warning restore CA2000
        var verification = new TokenVerification(keySets, new StatusLists(reads, api.Clock), reads, api.Services.GetRequiredService<TransparencyLog>(), api.Clock);
        return (verification, keySets, reads);
    }

    /// <summary>A key set that is what the test says it is (the served keys plus older certified keys).</summary>
    private sealed class FixedKeySet(JsonWebKeySet keys) : IKeySetReader
    {
        public Task<JsonWebKeySet> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(keys);
    }
}
