using Rtgf.Core.Signing;

namespace Rtgf.Core.Tests.Signing;

public sealed class JsonWebKeyTests
{
    [Fact]
    public void Parse_Rfc7515A3Key_KidIsRfc7638Thumbprint()
    {
        var jwk = JsonWebKey.Parse("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"""u8);

        Assert.Equal("oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U", jwk.Kid);
        Assert.Equal("oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U", jwk.Key.Thumbprint);
    }

    [Fact]
    public void Parse_Rfc7517A1EcKeyWithUnknownMembers_IgnoresThemAndKeepsKid()
    {
        // RFC 7517 A.1, first key (its "use":"enc" left out: only signing keys load here); unknown members are ignored.
        var jwk = JsonWebKey.Parse(
            """{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","kid":"1","foo":{"bar":[1]}}"""u8);

        Assert.Equal("1", jwk.Kid);
        Assert.Equal("cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s", jwk.Key.Thumbprint);
    }

    [Fact]
    public void Parse_PrivateMemberD_ThrowsClearError()
    {
        var ex = Assert.Throws<FormatException>(() => JsonWebKey.Parse(
            """{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"""u8));

        Assert.Contains("private key member 'd'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kty":"RSA","n":"AQAB","e":"AQAB"}""", "kty 'RSA'")]
    [InlineData("""{"kty":"EC","crv":"P-384","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""", "crv 'P-384'")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"}""", "no 'y'")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0=="}""", "strict base64url")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu8m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""", "not a point on the P-256 curve")]
    [InlineData("""{"kty":"EC","crv":"P-256","alg":"ES384","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""", "alg 'ES384'")]
    [InlineData("""{"kty":"EC","kty":"EC"}""", "not valid JSON")]
    [InlineData("""{"kty":"EC","crv":"P-256","use":"enc","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}""", "use 'enc'")]
    public void Parse_UnsupportedOrBroken_ThrowsSpecificError(string json, string message)
    {
        var ex = Assert.Throws<FormatException>(() => JsonWebKey.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCanonicalJson_RoundTrip_KeepsStatusRetirementAndCertificate()
    {
        var key = EcPublicKey.FromBase64Url("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
        var jwk = new JsonWebKey(key, status: "retired", retiredAt: DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), certificate: "a.b.c");

        var json = System.Text.Encoding.UTF8.GetString(jwk.ToCanonicalJson());
        var parsed = JsonWebKey.Parse(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Equal(
            """{"alg":"ES256","crv":"P-256","kid":"oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U","kty":"EC","rtgf_cert":"a.b.c","rtgf_retired_at":1700000000,"rtgf_status":"retired","use":"sig","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""",
            json);
        Assert.True(parsed.IsRetired);
        Assert.Equal(jwk.RetiredAt, parsed.RetiredAt);
        Assert.Equal("a.b.c", parsed.Certificate);
        Assert.Equal(key, parsed.Key);
    }
}
