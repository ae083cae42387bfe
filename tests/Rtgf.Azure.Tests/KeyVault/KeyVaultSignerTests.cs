using System.Security.Cryptography;
using Rtgf.Azure.KeyVault;
using Rtgf.KeyVaultStandIn;

namespace Rtgf.Azure.Tests.KeyVault;

public sealed class KeyVaultSignerTests
{
    [Fact]
    public async Task SignDigest_ReturnsSignatureThatVerifiesWithItsPublicKey_FetchingTheKeyOnce()
    {
        await using var server = await StandIn.StartAsync();
        var key = (await StandIn.Keys(server).CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;
        var signer = await KeyVaultSigner.CreateAsync(key.Id, new RecordingCredential(), StandIn.Options(server, new KeyClientOptions()));
        var digests = new[] { SHA256.HashData("a"u8), SHA256.HashData("b"u8), SHA256.HashData("c"u8) };

        var signatures = new List<byte[]>();
        foreach (var digest in digests)
        {
            signatures.Add(await signer.SignDigestAsync(digest));
        }

        Assert.Equal(key.Key.ToEcPublicKey(), signer.PublicKey);
        Assert.Equal(key.Id, signer.KeyId);
        using var verifier = signer.PublicKey.CreateEcdsa();
        Assert.All(digests.Zip(signatures), p => Assert.True(verifier.VerifyHash(p.First, p.Second)));
        Assert.Equal(1, server.CallCount(KeyVaultOperation.GetKey));
        Assert.Equal(3, server.CallCount(KeyVaultOperation.Sign));
    }

    [Fact]
    public async Task SignDigest_AfterRotation_StillSignsWithTheBoundVersion()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var key = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;
        var signer = await KeyVaultSigner.CreateAsync(keys, "issuer", key.Version!);
        await keys.RotateKeyAsync("issuer");

        var digest = SHA256.HashData("after rotation"u8);
        var signature = await signer.SignDigestAsync(digest);

        using var verifier = key.Key.ToEcPublicKey().CreateEcdsa();
        Assert.True(verifier.VerifyHash(digest, signature));
    }

    [Theory]
    [InlineData(SignatureFault.Der, "-byte ES256 signature")]
    [InlineData(SignatureFault.Truncated, "63-byte ES256 signature")]
    [InlineData(SignatureFault.RepeatedR, "does not verify")]
    public async Task SignDigest_MalformedSignatureFromTheVault_Throws(SignatureFault fault, string expected)
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var key = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;
        var signer = await KeyVaultSigner.CreateAsync(keys, "issuer", key.Version!);
        server.SignatureFault = fault;

        var error = await Assert.ThrowsAsync<CryptographicException>(() => signer.SignDigestAsync(SHA256.HashData("x"u8)).AsTask());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_KeyIdWithoutVersion_Throws()
    {
        await using var server = await StandIn.StartAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            KeyVaultSigner.CreateAsync(new Uri(server.VaultUri, "keys/issuer"), new RecordingCredential(), StandIn.Options(server, new KeyClientOptions())));

        Assert.Contains("no version", error.Message, StringComparison.Ordinal);
    }
}
