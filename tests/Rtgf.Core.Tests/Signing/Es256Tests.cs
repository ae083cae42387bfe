using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;

namespace Rtgf.Core.Tests.Signing;

public sealed class Es256Tests
{
    // RFC 7515 Appendix A.3: ES256 over the A.1 JWT claims set.
    private const string Header = "eyJhbGciOiJFUzI1NiJ9";
    private const string Payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    private const string Signature = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    private static readonly EcPublicKey Rfc7515Key = EcPublicKey.FromBase64Url("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");

    [Fact]
    public void Verify_Rfc7515A3Example_Verifies()
    {
        using var ecdsa = Rfc7515Key.CreateEcdsa();

        Assert.True(Es256.Verify(ecdsa, Header + "." + Payload, Base64UrlStrict.Decode(Signature, "signature")));
    }

    [Fact]
    public void Verify_Rfc7515A3ExampleWithFlippedPayloadCharacter_Fails()
    {
        using var ecdsa = Rfc7515Key.CreateEcdsa();
        var tampered = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODEsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

        Assert.NotEqual(Payload, tampered);
        Assert.False(Es256.Verify(ecdsa, Header + "." + tampered, Base64UrlStrict.Decode(Signature, "signature")));
    }

    [Fact]
    public void Verify_DerEncodedSignature_Fails()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var input = Header + "." + Payload;
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(input));
        var der = ecdsa.SignHash(digest, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence);
        var raw = ecdsa.SignHash(digest, System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        Assert.True(Es256.Verify(ecdsa, input, raw));
        Assert.False(Es256.Verify(ecdsa, input, der));
        Assert.False(Es256.Verify(ecdsa, input, raw.AsSpan(0, 63)));
    }
}
