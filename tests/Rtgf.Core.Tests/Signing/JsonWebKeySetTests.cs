using Rtgf.Core.Signing;

namespace Rtgf.Core.Tests.Signing;

public sealed class JsonWebKeySetTests
{
    private const string EcKey = """{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""";

    [Fact]
    public void Parse_MixedKeyTypes_SkipsUnsupportedAndFindsByKid()
    {
        var set = JsonWebKeySet.Parse(System.Text.Encoding.UTF8.GetBytes($$"""{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"rsa"},{{EcKey}}],"extra":true}"""));

        var key = Assert.Single(set.Keys);
        Assert.True(set.TryGetKey("oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U", out var found));
        Assert.Same(key, found);
        Assert.False(set.TryGetKey("rsa", out _));
    }

    [Fact]
    public void Parse_PrivateKeyAnywhere_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => JsonWebKeySet.Parse(System.Text.Encoding.UTF8.GetBytes("""{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB"}]}""")));

        Assert.Contains("key #0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'d'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"key":[]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"keys":{}}""")]
    [InlineData("""{"keys":[]""")]
    public void Parse_NotAKeySet_Throws(string json)
    {
        Assert.Throws<FormatException>(() => JsonWebKeySet.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Parse_DuplicateKid_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => JsonWebKeySet.Parse(System.Text.Encoding.UTF8.GetBytes($$"""{"keys":[{{EcKey}},{{EcKey}}]}""")));

        Assert.Contains("two keys with kid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCanonicalJson_RoundTrip_PreservesKeysInOrder()
    {
        using var a = LocalDevelopmentSigner.Create();
        using var b = LocalDevelopmentSigner.Create();
        var set = new JsonWebKeySet([new JsonWebKey(a.PublicKey, status: "current"), new JsonWebKey(b.PublicKey, status: "previous")]);

        var json = set.ToCanonicalJson();
        var parsed = JsonWebKeySet.Parse(json);

        Assert.StartsWith("{\"keys\":[{\"alg\":\"ES256\"", System.Text.Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Equal([a.PublicKey.Thumbprint, b.PublicKey.Thumbprint], parsed.Keys.Select(k => k.Kid));
        Assert.Equal(["current", "previous"], parsed.Keys.Select(k => k.Status));
        Assert.Equal(json, parsed.ToCanonicalJson());
    }
}
