using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;
using Rtgf.Core.Tests.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Core.Tests.Tokens;

public sealed class ReferenceTokenWriterTests
{
    [Fact]
    public void BuildPayload_Claims_IsCanonicalWithEveryClaim()
    {
        var payload = ReferenceTokenWriter.BuildPayload(TestClaims.For("rto:12345"));

        var iat = TestClaims.FetchedAt.ToUnixTimeSeconds();
        Assert.Equal(
            $$$"""{"exp":{{{iat + (30 * 86400)}}},"facts":{"code":"12345","legal_name":"Acme Training Pty Ltd","scope":[{"code":"BSB50120"}],"status":"current"},"fam":"rto-registration","iat":{{{iat}}},"iss":"https://registry.rtgf.example","nbf":{{{iat}}},"rev_epoch":3,"snap":"sha256:{{{new string('a', 64)}}}","status":{"status_list":{"idx":42,"uri":"https://registry.rtgf.example/status/rto-registration/1"}},"sub":"rto:12345"}""",
            System.Text.Encoding.UTF8.GetString(payload));
        Assert.True(CanonicalJson.IsCanonical(payload));
    }

    [Fact]
    public void BuildPayload_SameClaimsTwice_SameBytes()
    {
        Assert.Equal(ReferenceTokenWriter.BuildPayload(TestClaims.For("rto:1")), ReferenceTokenWriter.BuildPayload(TestClaims.For("rto:1")));
    }

    [Fact]
    public async Task WriteAsync_Signer_HeaderIsCanonicalWithThumbprintKid()
    {
        using var vault = LocalDevelopmentSigner.Create();
        var counting = new CountingSigner(vault);

        var token = await new ReferenceTokenWriter(counting).WriteAsync(TestClaims.For("rto:1"));

        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal(
            $$"""{"alg":"ES256","kid":"{{vault.PublicKey.Thumbprint}}","typ":"rtgf-ref+jwt"}""",
            System.Text.Encoding.UTF8.GetString(Base64UrlStrict.Decode(parts[0], "header")));
        Assert.Equal(ReferenceTokenWriter.BuildPayload(TestClaims.For("rto:1")), Base64UrlStrict.Decode(parts[1], "payload"));
        Assert.Equal(86, parts[2].Length);
        Assert.Equal(1, counting.Calls);
    }

    [Theory]
    [InlineData("not-a-digest")]
    [InlineData("sha256:ABCDEF")]
    public void BuildPayload_BadSnapshotDigest_Throws(string digest)
    {
        var claims = TestClaims.For("rto:1");
        var bad = new ReferenceTokenClaims
        {
            Issuer = claims.Issuer, Subject = claims.Subject, Family = claims.Family, IssuedAt = claims.IssuedAt, NotBefore = claims.NotBefore,
            Expires = claims.Expires, SnapshotDigest = digest, RevocationEpoch = 0, Status = claims.Status, FactsJson = claims.FactsJson,
        };

        var ex = Assert.Throws<ArgumentException>(() => ReferenceTokenWriter.BuildPayload(bad));

        Assert.Contains("snapshot digest", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"a\":1,\"a\":2}", "not I-JSON")]
    public void BuildPayload_BadFacts_Throws(string facts, string message)
    {
        var claims = TestClaims.For("rto:1");
        var bad = new ReferenceTokenClaims
        {
            Issuer = claims.Issuer, Subject = claims.Subject, Family = claims.Family, IssuedAt = claims.IssuedAt, NotBefore = claims.NotBefore,
            Expires = claims.Expires, SnapshotDigest = claims.SnapshotDigest, RevocationEpoch = 0, Status = claims.Status,
            FactsJson = System.Text.Encoding.UTF8.GetBytes(facts),
        };

        var ex = Assert.Throws<ArgumentException>(() => ReferenceTokenWriter.BuildPayload(bad));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildPayload_ExpiresBeforeNotBefore_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReferenceTokenWriter.BuildPayload(TestClaims.For("rto:1", expires: TestClaims.FetchedAt.AddDays(-1))));
    }
}
