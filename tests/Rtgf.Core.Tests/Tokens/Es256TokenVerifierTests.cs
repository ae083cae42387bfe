using System.Security.Cryptography;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Testing;

namespace Rtgf.Core.Tests.Tokens;

public sealed class Es256TokenVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestClaims.FetchedAt.AddDays(1);
    private readonly LocalDevelopmentSigner _issuer = LocalDevelopmentSigner.Create();
    private readonly ManualTimeProvider _clock = new(Now);

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task Verify_TokenFromIssuerKey_IsValidWithClaims()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var token = await Token("rto:12345");

        var verdict = verifier.Verify(token);

        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
        Assert.Equal(_issuer.PublicKey.Thumbprint, verdict.KeyId);
        Assert.Equal(_issuer.PublicKey.Thumbprint, verdict.IssuerKeyId);
        Assert.Equal("rto:12345", verdict.Subject);
        Assert.Equal("rto-registration", verdict.Family);
        Assert.Equal("https://registry.rtgf.example", verdict.Issuer);
        Assert.Equal(TestClaims.FetchedAt, verdict.IssuedAt);
        Assert.Equal(ReferenceTokenWriter.BuildPayload(TestClaims.For("rto:12345")), verdict.Payload.ToArray());
    }

    [Fact]
    public async Task Verify_FlippedPayloadByte_InvalidSignature()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var parts = (await Token("rto:1")).Split('.');
        var payload = Base64UrlStrict.Decode(parts[1], "payload");
        payload[^3] ^= 0x01;

        var verdict = verifier.Verify(parts[0] + "." + Base64UrlStrict.Encode(payload) + "." + parts[2]);

        Assert.Equal([TokenFailureCode.InvalidSignature], verdict.Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_KidSwappedToAnotherTrustedKey_InvalidSignature()
    {
        using var other = LocalDevelopmentSigner.Create();
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey), new JsonWebKey(other.PublicKey));
        var parts = (await Token("rto:1")).Split('.');
        var header = Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{other.PublicKey.Thumbprint}}","typ":"rtgf-ref+jwt"}"""));

        var verdict = verifier.Verify(header + "." + parts[1] + "." + parts[2]);

        Assert.Equal([TokenFailureCode.InvalidSignature], verdict.Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_UnknownKid_IsDistinctResult()
    {
        using var other = LocalDevelopmentSigner.Create();
        using var verifier = Verifier(new JsonWebKey(other.PublicKey));

        var verdict = verifier.Verify(await Token("rto:1"));

        Assert.Equal([TokenFailureCode.UnknownKeyId], verdict.Failures.Select(f => f.Code));
        Assert.Equal("unknown-kid", verdict.Failures[0].CodeName);
    }

    [Fact]
    public async Task Verify_AlgNone_Rejected()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var parts = (await Token("rto:1")).Split('.');
        var header = Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes($$"""{"alg":"none","kid":"{{_issuer.PublicKey.Thumbprint}}","typ":"rtgf-ref+jwt"}"""));

        var verdict = verifier.Verify(header + "." + parts[1] + ".");

        Assert.False(verdict.IsValid);
        Assert.True(verdict.Has(TokenFailureCode.UnsupportedAlgorithm));
    }

    [Fact]
    public async Task Verify_Hs256WithPublicKeyAsHmacSecret_Rejected()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var payload = Base64UrlStrict.Encode(ReferenceTokenWriter.BuildPayload(TestClaims.For("rto:1")));
        var header = Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes($$"""{"alg":"HS256","kid":"{{_issuer.PublicKey.Thumbprint}}","typ":"rtgf-ref+jwt"}"""));
        var mac = HMACSHA256.HashData(_issuer.PublicKey.ToSubjectPublicKeyInfo(), System.Text.Encoding.ASCII.GetBytes(header + "." + payload));

        var verdict = verifier.Verify(header + "." + payload + "." + Base64UrlStrict.Encode(mac));

        Assert.True(verdict.Has(TokenFailureCode.UnsupportedAlgorithm));
        Assert.Contains("HS256", verdict.Failures.First(f => f.Code == TokenFailureCode.UnsupportedAlgorithm).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES384")]
    [InlineData("es256")]
    public async Task Verify_OtherAlgorithms_Rejected(string alg)
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var parts = (await Token("rto:1")).Split('.');
        var header = Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes($$"""{"alg":"{{alg}}","kid":"{{_issuer.PublicKey.Thumbprint}}","typ":"rtgf-ref+jwt"}"""));

        Assert.True(verifier.Verify(header + "." + parts[1] + "." + parts[2]).Has(TokenFailureCode.UnsupportedAlgorithm));
    }

    [Fact]
    public async Task Verify_CritHeader_Rejected()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var token = await SignRaw($$"""{"alg":"ES256","crit":["b64"],"b64":false,"kid":"{{_issuer.PublicKey.Thumbprint}}","typ":"rtgf-ref+jwt"}""", ReferenceTokenWriter.BuildPayload(TestClaims.For("rto:1")));

        Assert.Equal([TokenFailureCode.UnsupportedCriticalHeader], verifier.Verify(token).Failures.Select(f => f.Code));
    }

    [Theory]
    [InlineData("{\"alg\":\"ES256\",\"alg\":\"none\"}", TokenFailureCode.InvalidHeader)]
    [InlineData("[1]", TokenFailureCode.InvalidHeader)]
    [InlineData("{\"alg\":\"ES256\"", TokenFailureCode.InvalidHeader)]
    [InlineData("{\"alg\":1}", TokenFailureCode.InvalidHeader)]
    public void Verify_BrokenHeader_InvalidHeader(string header, TokenFailureCode expected)
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));

        var verdict = verifier.Verify(Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes(header)) + ".e30." + new string('A', 86));

        Assert.Equal([expected], verdict.Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_PayloadNotJson_InvalidPayload()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var token = await SignRaw($$"""{"alg":"ES256","kid":"{{_issuer.PublicKey.Thumbprint}}","typ":"rtgf-ref+jwt"}""", "{\"exp\":1,"u8.ToArray());

        var verdict = verifier.Verify(token);

        Assert.True(verdict.Has(TokenFailureCode.InvalidPayload));
        Assert.False(verdict.Has(TokenFailureCode.InvalidSignature));
    }

    [Theory]
    [InlineData(0, "=")]
    [InlineData(1, " ")]
    [InlineData(2, "+")]
    public async Task Verify_NonStrictBase64Url_InvalidEncodingOrSignature(int part, string insert)
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var parts = (await Token("rto:1")).Split('.');
        parts[part] += insert;

        var verdict = verifier.Verify(string.Join('.', parts));

        Assert.False(verdict.IsValid);
        Assert.True(verdict.Has(part == 2 ? TokenFailureCode.InvalidSignature : TokenFailureCode.InvalidEncoding));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    public void Verify_NotThreeParts_Malformed(string token)
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));

        Assert.Equal([TokenFailureCode.Malformed], verifier.Verify(token).Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_Expired_BeyondSkewOnly()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var token = await Token("rto:1", expires: Now.AddSeconds(-30));
        using var late = new Es256TokenVerifier(new JsonWebKeySet([new JsonWebKey(_issuer.PublicKey)]), new ManualTimeProvider(Now.AddSeconds(31)));

        Assert.True(verifier.Verify(token).IsValid);
        Assert.Equal([TokenFailureCode.Expired], late.Verify(token).Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_NotYetValid_Reported()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var token = await Token("rto:1", issuedAt: Now.AddMinutes(5));

        Assert.Equal([TokenFailureCode.NotYetValid], verifier.Verify(token).Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_SeveralProblems_ListsEveryReason()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var parts = (await Token("rto:1", expires: Now.AddDays(-1), issuedAt: Now.AddDays(-20))).Split('.');
        var header = Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{_issuer.PublicKey.Thumbprint}}","typ":"JWT"}"""));

        var verdict = verifier.Verify(header + "." + parts[1] + "." + parts[2]);

        Assert.Equal([TokenFailureCode.UnexpectedType, TokenFailureCode.InvalidSignature, TokenFailureCode.Expired], verdict.Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_RetiredKeyOldToken_StillValid()
    {
        var retiredAt = TestClaims.FetchedAt.AddDays(10);
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey, status: "retired", retiredAt: retiredAt));
        using var afterwards = new Es256TokenVerifier(
            new JsonWebKeySet([new JsonWebKey(_issuer.PublicKey, status: "retired", retiredAt: retiredAt)]), new ManualTimeProvider(retiredAt.AddDays(200)));
        var old = await Token("rto:1", expires: retiredAt.AddDays(300));
        var minted = await Token("rto:2", issuedAt: retiredAt.AddDays(1), expires: retiredAt.AddDays(300));

        Assert.True(afterwards.Verify(old).IsValid);
        Assert.Equal([TokenFailureCode.KeyRetired], afterwards.Verify(minted).Failures.Select(f => f.Code));
        Assert.True(verifier.Verify(old).IsValid);
    }

    [Fact]
    public async Task Verify_CertifiedKey_ValidAndNamesIssuer()
    {
        using var signer = await CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey), signer.ToJsonWebKey());
        var token = ReferenceTokenWriter.WriteMany([TestClaims.For("rto:1")], signer)[0];

        var verdict = verifier.Verify(token);

        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
        Assert.Equal(signer.PublicKey.Thumbprint, verdict.KeyId);
        Assert.Equal(_issuer.PublicKey.Thumbprint, verdict.IssuerKeyId);
    }

    [Fact]
    public async Task Verify_CertificateWindowMissesIat_CertificateNotValidAtIssuance()
    {
        using var signer = await CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", TestClaims.FetchedAt.AddHours(-2), TestClaims.FetchedAt.AddHours(-1));
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey), signer.ToJsonWebKey());

        var verdict = verifier.Verify(ReferenceTokenWriter.WriteMany([TestClaims.For("rto:1")], signer)[0]);

        Assert.Equal([TokenFailureCode.CertificateNotValidAtIssuance], verdict.Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_CertificateByUnknownIssuer_CertificateUntrustedIssuer()
    {
        using var rogue = LocalDevelopmentSigner.Create();
        using var signer = await CertifiedSigner.CreateAsync(rogue, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey), signer.ToJsonWebKey());

        var verdict = verifier.Verify(ReferenceTokenWriter.WriteMany([TestClaims.For("rto:1")], signer)[0]);

        Assert.Equal([TokenFailureCode.CertificateUntrustedIssuer], verdict.Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_CertificateForgedForAnotherKey_CertificateInvalid()
    {
        using var genuine = await CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var attacker = await CertifiedSigner.CreateAsync(LocalDevelopmentSigner.Create(), "https://x", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey), new JsonWebKey(attacker.PublicKey, certificate: genuine.Certificate.Compact));

        var verdict = verifier.Verify(ReferenceTokenWriter.WriteMany([TestClaims.For("rto:1")], attacker)[0]);

        Assert.Equal([TokenFailureCode.CertificateInvalid], verdict.Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_CertificateWithBadSignature_CertificateInvalid()
    {
        using var signer = await CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        var parts = signer.Certificate.Compact.Split('.');
        var signature = Base64UrlStrict.Decode(parts[2], "sig");
        signature[5] ^= 0xFF;
        var broken = parts[0] + "." + parts[1] + "." + Base64UrlStrict.Encode(signature);
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey), new JsonWebKey(signer.PublicKey, certificate: broken));

        var verdict = verifier.Verify(ReferenceTokenWriter.WriteMany([TestClaims.For("rto:1")], signer)[0]);

        Assert.Equal([TokenFailureCode.CertificateInvalid], verdict.Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_CertifiedKeyCannotCertifyAnother_CertificateUntrustedIssuer()
    {
        using var first = await CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var second = await CertifiedSigner.CreateAsync(first, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey), first.ToJsonWebKey(), second.ToJsonWebKey());

        var verdict = verifier.Verify(ReferenceTokenWriter.WriteMany([TestClaims.For("rto:1")], second)[0]);

        Assert.Equal([TokenFailureCode.CertificateUntrustedIssuer], verdict.Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_ManyThreads_AllValid()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var token = await Token("rto:1");
        var valid = 0;

        Parallel.For(0, 400, _ =>
        {
            if (verifier.Verify(token).IsValid)
            {
                Interlocked.Increment(ref valid);
            }
        });

        Assert.Equal(400, valid);
    }

    [Fact]
    public async Task Verify_JwksPublishedByKeyRingAfterRotation_OldTokenStillVerifies()
    {
        using var next = LocalDevelopmentSigner.Create();
        var clock = new ManualTimeProvider(TestClaims.FetchedAt);
        var ring = new IssuerKeyRing(clock);
        ring.Add(_issuer.PublicKey, TestClaims.FetchedAt.AddDays(-1));
        var old = await Token("rto:1");
        ring.MarkLogged(_issuer.PublicKey.Thumbprint);
        ring.Rotate(next.PublicKey, TestClaims.FetchedAt.AddDays(1), TimeSpan.FromDays(1));
        clock.Advance(TimeSpan.FromDays(3));
        var jwks = JsonWebKeySet.Parse(ring.ToPublishedKeySet().ToCanonicalJson());

        using var verifier = new Es256TokenVerifier(jwks, clock);
        var verdict = verifier.Verify(old);

        Assert.True(jwks.Keys.Single(k => k.Kid == _issuer.PublicKey.Thumbprint).IsRetired);
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
        verifier.Dispose();
    }

    private Es256TokenVerifier Verifier(params JsonWebKey[] keys) => new(new JsonWebKeySet(keys), _clock);

    private async Task<string> Token(string subject, DateTimeOffset? issuedAt = null, DateTimeOffset? expires = null) =>
        await new ReferenceTokenWriter(_issuer).WriteAsync(TestClaims.For(subject, issuedAt, expires));

    private async Task<string> SignRaw(string header, byte[] payload)
    {
        var input = Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes(header)) + "." + Base64UrlStrict.Encode(payload);
        var signature = await _issuer.SignDigestAsync(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(input)));
        return input + "." + Base64UrlStrict.Encode(signature);
    }
}
