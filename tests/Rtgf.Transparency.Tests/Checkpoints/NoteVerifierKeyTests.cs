using System.Text.Json;
using Rtgf.Core.Signing;
using Rtgf.Testing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Tests.Support;

namespace Rtgf.Transparency.Tests.Checkpoints;

public sealed class NoteVerifierKeyTests
{
    private static readonly JsonElement Rekor = JsonDocument.Parse(TestData.ReadText("vectors/checkpoints/rekor_v1_ecdsa_checkpoints.json")).RootElement;

    [Fact]
    public void ForEcdsa_RekorPublicKey_GivesThePublishedVkey()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(Rekor.GetProperty("log_public_key_spki_der_b64").GetString()!), out _);
        var key = NoteVerifierKey.ForEcdsa("rekor.sigstore.dev", EcPublicKey.FromParameters(ecdsa.ExportParameters(false)));

        Assert.Equal(Rekor.GetProperty("derived_vkey_type02").GetString(), key.ToString());
        Assert.Equal(0xc0d23d6au, key.KeyId);
    }

    [Fact]
    public void Parse_RekorVkey_RoundTrips()
    {
        var text = Rekor.GetProperty("derived_vkey_type02").GetString()!;
        var key = NoteVerifierKey.Parse(text);

        Assert.Equal("rekor.sigstore.dev", key.Name);
        Assert.Equal(NoteVerifierKey.EcdsaType, key.SignatureType);
        Assert.Equal(text, key.ToString());
    }

    [Fact]
    public void Parse_Ed25519SpecKey_ParsesWithItsKeyId()
    {
        var key = NoteVerifierKey.Parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");

        Assert.Equal(NoteVerifierKey.Ed25519Type, key.SignatureType);
        Assert.Equal(0x530d903au, key.KeyId);
        Assert.Equal(32, key.KeyMaterial.Length);
    }

    [Theory]
    [InlineData("name+c0d23d6a", "<name>+<hex key ID>+<base64 key>")]
    [InlineData("name+c0d23d6+AjBZ", "not 8 hex digits")]
    [InlineData("name+zzzzzzzz+AjBZ", "not 8 hex digits")]
    [InlineData("name+c0d23d6a+!!!", "not valid base64")]
    [InlineData("name+c0d23d6a+Ag==", "no key bytes")]
    [InlineData("name+c0d23d6a+AgEC", "not a valid SubjectPublicKeyInfo")]
    [InlineData("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "does not match")]
    [InlineData("+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "name")]
    public void Parse_Malformed_ThrowsWithReason(string vkey, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => NoteVerifierKey.Parse(vkey));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EcdsaKeyIdNotMatchingSpki_Throws()
    {
        using var signer = new TestSigner();
        var good = NoteVerifierKey.ForEcdsa("log", signer.PublicKey).ToString();
        var bad = "log+00000000+" + good.Split('+', 3)[2]; // the base64 part may contain '+'

        var ex = Assert.Throws<FormatException>(() => NoteVerifierKey.Parse(bad));
        Assert.Contains("SHA-256(SPKI)", ex.Message, StringComparison.Ordinal);
    }
}
