using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;

namespace Rtgf.Core.Tests.Signing;

public sealed class SigningKeyCertificateTests
{
    private static readonly DateTimeOffset NotBefore = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task IssueAsync_SigningKey_HasSpecifiedHeaderAndPayload()
    {
        using var issuer = LocalDevelopmentSigner.Create();
        using var delegated = LocalDevelopmentSigner.Create();

        var certificate = await SigningKeyCertificate.IssueAsync(issuer, "https://registry.rtgf.example", delegated.PublicKey, NotBefore, NotBefore.AddHours(2));

        var parts = certificate.Compact.Split('.');
        Assert.Equal(
            $$"""{"alg":"ES256","kid":"{{issuer.PublicKey.Thumbprint}}","typ":"rtgf-key-cert+jwt"}""",
            System.Text.Encoding.UTF8.GetString(Base64UrlStrict.Decode(parts[0], "header")));
        Assert.Equal(
            $$"""{"exp":{{NotBefore.AddHours(2).ToUnixTimeSeconds()}},"iss":"https://registry.rtgf.example","jwk":{"crv":"P-256","kty":"EC","x":"{{delegated.PublicKey.XBase64Url}}","y":"{{delegated.PublicKey.YBase64Url}}"},"nbf":{{NotBefore.ToUnixTimeSeconds()}},"sub":"{{delegated.PublicKey.Thumbprint}}","use":"rtgf-token"}""",
            System.Text.Encoding.UTF8.GetString(Base64UrlStrict.Decode(parts[1], "payload")));
        Assert.Equal(issuer.PublicKey.Thumbprint, certificate.IssuerKid);
        Assert.Equal(delegated.PublicKey, certificate.SigningKey);
        Assert.True(certificate.VerifySignature(issuer.PublicKey));
        Assert.False(certificate.VerifySignature(delegated.PublicKey));
    }

    [Fact]
    public async Task Covers_Instants_HalfOpenWindow()
    {
        using var issuer = LocalDevelopmentSigner.Create();
        var certificate = await SigningKeyCertificate.IssueAsync(issuer, "https://i.example", issuer.PublicKey, NotBefore, NotBefore.AddHours(1));

        Assert.True(certificate.Covers(NotBefore));
        Assert.False(certificate.Covers(NotBefore.AddSeconds(-1)));
        Assert.False(certificate.Covers(NotBefore.AddHours(1)));
    }

    [Fact]
    public async Task Parse_SubjectNotTheKeyThumbprint_Throws()
    {
        using var issuer = LocalDevelopmentSigner.Create();
        var certificate = await SigningKeyCertificate.IssueAsync(issuer, "https://i.example", issuer.PublicKey, NotBefore, NotBefore.AddHours(1));
        var parts = certificate.Compact.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Base64UrlStrict.Decode(parts[1], "payload")).Replace(issuer.PublicKey.Thumbprint, "someone-else", StringComparison.Ordinal);
        var forged = parts[0] + "." + Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes(payload)) + "." + parts[2];

        var ex = Assert.Throws<FormatException>(() => SigningKeyCertificate.Parse(forged));

        Assert.Contains("thumbprint", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("e30.e30.AA==")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.AA")]
    public void Parse_NotACertificate_Throws(string compact)
    {
        Assert.Throws<FormatException>(() => SigningKeyCertificate.Parse(compact));
    }

    [Fact]
    public async Task IssueAsync_ExpiresBeforeNotBefore_Throws()
    {
        using var issuer = LocalDevelopmentSigner.Create();

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await SigningKeyCertificate.IssueAsync(issuer, "https://i.example", issuer.PublicKey, NotBefore, NotBefore));
    }
}
