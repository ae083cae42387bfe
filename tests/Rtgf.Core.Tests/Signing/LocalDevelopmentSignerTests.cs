using System.Security.Cryptography;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;

namespace Rtgf.Core.Tests.Signing;

public sealed class LocalDevelopmentSignerTests
{
    [Fact]
    public async Task SignDigestAsync_Digest_ReturnsP1363SignatureThatVerifies()
    {
        using var signer = LocalDevelopmentSigner.Create();
        var digest = SHA256.HashData("hello"u8);

        var signature = await signer.SignDigestAsync(digest);

        Assert.Equal(64, signature.Length);
        using var ecdsa = signer.PublicKey.CreateEcdsa();
        Assert.True(ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public async Task SignDigestAsync_WrongDigestLength_Throws()
    {
        using var signer = LocalDevelopmentSigner.Create();

        await Assert.ThrowsAsync<ArgumentException>(async () => await signer.SignDigestAsync(new byte[20]));
    }

    [Fact]
    public async Task Import_Rfc7515A3PrivateKey_HasThatKeysThumbprintAndSigns()
    {
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Base64UrlStrict.Decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "x"),
                Y = Base64UrlStrict.Decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", "y"),
            },
            D = Base64UrlStrict.Decode("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI", "d"),
        };
        using var signer = LocalDevelopmentSigner.Import(parameters);
        var digest = SHA256.HashData("x"u8);

        var signature = await signer.SignDigestAsync(digest);

        Assert.Equal("oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U", signer.PublicKey.Thumbprint);
        using var ecdsa = signer.PublicKey.CreateEcdsa();
        Assert.True(ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.DoesNotContain("jpsQnnGQ", signer.ToString(), StringComparison.Ordinal);
        Assert.Contains(signer.PublicKey.Thumbprint, signer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_PublicOnlyParameters_Throws()
    {
        using var signer = LocalDevelopmentSigner.Create();

        Assert.Throws<ArgumentException>(() => LocalDevelopmentSigner.Import(signer.PublicKey.ToParameters()));
    }
}
