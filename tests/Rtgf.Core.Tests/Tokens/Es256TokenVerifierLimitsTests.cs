using System.Globalization;
using System.Security.Cryptography;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Testing;

namespace Rtgf.Core.Tests.Tokens;

/// <summary>The verifier's bounds: dates at the ends of the calendar, the maximum lifetime, and a certificate checked once per key set.</summary>
public sealed class Es256TokenVerifierLimitsTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestClaims.FetchedAt.AddDays(1);
    private readonly LocalDevelopmentSigner _issuer = LocalDevelopmentSigner.Create();
    private readonly ManualTimeProvider _clock = new(Now);

    public void Dispose() => _issuer.Dispose();

    [Theory]
    [InlineData("iat", "-1e11")]
    [InlineData("exp", "-1e11")]
    [InlineData("nbf", "-1e11")]
    [InlineData("nbf", "-62135596800")]
    [InlineData("iat", "-1")]
    [InlineData("exp", "253402300800")]
    [InlineData("exp", "1e300")]
    [InlineData("iat", "-0.5")]
    public async Task Verify_DateClaimOutOfRange_InvalidPayloadReason(string claim, string value)
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var token = await SignRaw(_issuer, Payload(claim, value));

        var verdict = verifier.Verify(token);

        Assert.Contains(verdict.Failures, f => f.Code == TokenFailureCode.InvalidPayload && f.Message.Contains("NumericDate", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("exp", "253402300799")]
    [InlineData("nbf", "0")]
    [InlineData("nbf", "253402300799")]
    [InlineData("exp", "1772323200.75")]
    public async Task Verify_DateClaimAtTheEndsOfTheRange_VerdictNotException(string claim, string value)
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var token = await SignRaw(_issuer, Payload(claim, value));

        foreach (var at in new[] { Now, DateTimeOffset.MinValue, DateTimeOffset.MaxValue })
        {
            var verdict = verifier.Verify(token, at);
            Assert.DoesNotContain(verdict.Failures, f => f.Code is TokenFailureCode.InvalidPayload or TokenFailureCode.InvalidSignature);
        }
    }

    [Fact]
    public async Task Verify_AtTheEndsOfTheCalendar_ExpiredOrNotYetValid()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var token = await new ReferenceTokenWriter(_issuer).WriteAsync(TestClaims.For("rto:1"));

        Assert.Equal([TokenFailureCode.NotYetValid], verifier.Verify(token, DateTimeOffset.MinValue).Failures.Select(f => f.Code));
        Assert.Equal([TokenFailureCode.Expired], verifier.Verify(token, DateTimeOffset.MaxValue).Failures.Select(f => f.Code));
    }

    [Fact]
    public async Task Verify_LeakedCertifiedKey_BackdatedIatWithFarExp_LifetimeTooLong()
    {
        // A key certified for one publication's iats, leaked: the attacker signs a token whose iat is inside the window and whose exp is years away.
        var windowStart = TestClaims.FetchedAt.AddDays(-1);
        using var leaked = await CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", windowStart, windowStart.AddHours(1));
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey), leaked.ToJsonWebKey());
        var iat = windowStart.AddMinutes(30).ToUnixTimeSeconds();
        var exp = windowStart.AddYears(10).ToUnixTimeSeconds();
        var token = await SignRaw(leaked, Claims(iat, iat, exp));

        var verdict = verifier.Verify(token, windowStart.AddYears(5));

        var failure = Assert.Single(verdict.Failures);
        Assert.Equal(TokenFailureCode.LifetimeTooLong, failure.Code);
        Assert.Equal("lifetime-too-long", failure.CodeName);
        Assert.Contains("366 days", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LifetimeOfExactlyTheMaximum_Valid()
    {
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey));
        var iat = TestClaims.FetchedAt.ToUnixTimeSeconds();
        var token = await SignRaw(_issuer, Claims(iat, iat, iat + (long)ReferenceTokenWriter.MaxLifetime.TotalSeconds));

        var verdict = verifier.Verify(token);

        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures));
    }

    [Fact]
    public async Task WriteAsync_LifetimeOverTheMaximum_Refused()
    {
        var claims = TestClaims.For("rto:1", expires: TestClaims.FetchedAt + ReferenceTokenWriter.MaxLifetime + TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await new ReferenceTokenWriter(_issuer).WriteAsync(claims));

        Assert.Contains("maximum is 366 days", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ManyTokensAtAnotherInstant_ChecksEachCertificateOnce()
    {
        using var first = await CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var second = await CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var unused = await CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var verifier = Verifier(new JsonWebKey(_issuer.PublicKey), first.ToJsonWebKey(), second.ToJsonWebKey(), unused.ToJsonWebKey());
        var tokens = ReferenceTokenWriter.WriteMany([.. Enumerable.Range(0, 20).Select(i => TestClaims.For("rto:" + i.ToString(CultureInfo.InvariantCulture)))], first)
            .Concat(ReferenceTokenWriter.WriteMany([TestClaims.For("rto:x")], second));

        foreach (var token in tokens)
        {
            Assert.True(verifier.Verify(token, Now.AddDays(2)).IsValid);
        }

        Assert.Equal(2, verifier.CertificateChecks);
    }

    private Es256TokenVerifier Verifier(params JsonWebKey[] keys) => new(new JsonWebKeySet(keys), _clock);

    private static byte[] Payload(string claim, string value)
    {
        var iat = TestClaims.FetchedAt.ToUnixTimeSeconds();
        var times = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["exp"] = (iat + 86_400).ToString(CultureInfo.InvariantCulture),
            ["iat"] = iat.ToString(CultureInfo.InvariantCulture),
            ["nbf"] = iat.ToString(CultureInfo.InvariantCulture),
        };
        times[claim] = value;
        return System.Text.Encoding.UTF8.GetBytes(
            $"{{\"exp\":{times["exp"]},\"fam\":\"rto-registration\",\"iat\":{times["iat"]},\"iss\":\"https://registry.rtgf.example\",\"nbf\":{times["nbf"]},\"sub\":\"rto:1\"}}");
    }

    private static byte[] Claims(long iat, long nbf, long exp) => System.Text.Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture, $"{{\"exp\":{exp},\"fam\":\"rto-registration\",\"iat\":{iat},\"iss\":\"https://registry.rtgf.example\",\"nbf\":{nbf},\"sub\":\"rto:1\"}}"));

    private static async Task<string> SignRaw(ISigner signer, byte[] payload)
    {
        var header = $$"""{"alg":"ES256","kid":"{{signer.PublicKey.Thumbprint}}","typ":"rtgf-ref+jwt"}""";
        var input = Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes(header)) + "." + Base64UrlStrict.Encode(payload);
        var signature = await signer.SignDigestAsync(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(input)));
        return input + "." + Base64UrlStrict.Encode(signature);
    }
}
