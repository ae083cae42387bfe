using System.Security.Cryptography;
using Rtgf.Core.Encoding;
using Rtgf.Core.Tokens;

namespace Rtgf.Core.Tests.Tokens;

public sealed class ReferenceTokenIdTests
{
    [Fact]
    public void FromSignedPayload_IsTheHashOfTheCompiledPayload()
    {
        var claims = TestClaims.For("rto:12345");
        // The compiler's payload: every claim except what publication adds (rev_epoch, status), in canonical order.
        var compiled = System.Text.Encoding.UTF8.GetBytes(
            "{\"exp\":" + claims.Expires.ToUnixTimeSeconds() + ",\"facts\":{\"code\":\"12345\",\"legal_name\":\"Acme Training Pty Ltd\",\"scope\":[{\"code\":\"BSB50120\"}],\"status\":\"current\"}," +
            "\"fam\":\"rto-registration\",\"iat\":" + claims.IssuedAt.ToUnixTimeSeconds() + ",\"iss\":\"https://registry.rtgf.example\",\"nbf\":" + claims.NotBefore.ToUnixTimeSeconds() +
            ",\"snap\":\"sha256:" + new string('a', 64) + "\",\"sub\":\"rto:12345\"}");

        var id = ReferenceTokenId.FromSignedPayload(ReferenceTokenWriter.BuildPayload(claims));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(compiled)), id);
        Assert.Equal(ReferenceTokenId.FromCompiledPayload(compiled), id);
    }

    [Fact]
    public void FromSignedPayload_DoesNotDependOnEpochOrStatusSlot()
    {
        var first = TestClaims.For("rto:12345");
        var republished = new ReferenceTokenClaims
        {
            Issuer = first.Issuer,
            Subject = first.Subject,
            Family = first.Family,
            IssuedAt = first.IssuedAt,
            NotBefore = first.NotBefore,
            Expires = first.Expires,
            SnapshotDigest = first.SnapshotDigest,
            RevocationEpoch = 9,
            Status = new StatusListReference(7, "https://registry.rtgf.example/status/rto-registration/2"),
            FactsJson = first.FactsJson,
        };

        Assert.Equal(
            ReferenceTokenId.FromSignedPayload(ReferenceTokenWriter.BuildPayload(first)),
            ReferenceTokenId.FromSignedPayload(ReferenceTokenWriter.BuildPayload(republished)));
        Assert.NotEqual(
            ReferenceTokenId.FromSignedPayload(ReferenceTokenWriter.BuildPayload(first)),
            ReferenceTokenId.FromSignedPayload(ReferenceTokenWriter.BuildPayload(TestClaims.For("rto:12346"))));
    }

    [Fact]
    public void FromSignedPayload_SameClaimsInAnyLayout_SameIdAsTheJsonNodeRoute()
    {
        // Members reordered, whitespace, an escaped member name and a nested "status" that must stay.
        var scrambled = "{ \"sub\":\"rto:1\", \"\\u0073tatus\": {\"idx\": 3}, \"facts\": {\"status\": \"current\", \"b\": [1, 2.0]},\n \"rev_epoch\": 4, \"exp\": 10 }";
        var expected = System.Text.Json.Nodes.JsonNode.Parse(scrambled)!.AsObject();
        expected.Remove("rev_epoch");
        expected.Remove("status");
        var compiled = CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(expected.ToJsonString()));

        Assert.Equal("{\"exp\":10,\"facts\":{\"b\":[1,2],\"status\":\"current\"},\"sub\":\"rto:1\"}", System.Text.Encoding.UTF8.GetString(compiled));
        Assert.Equal(ReferenceTokenId.FromCompiledPayload(compiled), ReferenceTokenId.FromSignedPayload(System.Text.Encoding.UTF8.GetBytes(scrambled)));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":")]
    public void FromSignedPayload_NotAnIJsonObject_Throws(string payload) =>
        Assert.Throws<CanonicalJsonException>(() => ReferenceTokenId.FromSignedPayload(System.Text.Encoding.UTF8.GetBytes(payload)));
}
