using System.Security.Cryptography;
using Azure;
using Rtgf.Azure.KeyVault;
using Rtgf.KeyVaultStandIn;

namespace Rtgf.Azure.Tests.KeyVault;

public sealed class CryptographyClientTests
{
    [Fact]
    public async Task Sign_ES256_ReturnsRawSignatureThatVerifiesWithThePublicKey()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var key = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;
        var crypto = new CryptographyClient(key.Id, new RecordingCredential(), StandIn.Options(server, new CryptographyClientOptions()));
        var digest = SHA256.HashData("token payload"u8);

        var result = await crypto.SignAsync(SignatureAlgorithm.ES256, digest);

        Assert.Equal(key.Id.AbsoluteUri, result.KeyId);
        Assert.Equal(SignatureAlgorithm.ES256, result.Algorithm);
        Assert.Equal(64, result.Signature.Length);
        using var verifier = key.Key.ToEcPublicKey().CreateEcdsa();
        Assert.True(verifier.VerifyHash(digest, result.Signature));
    }

    [Fact]
    public async Task Verify_GoodAndTamperedSignatures_AreReportedByTheVault()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var key = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;
        var crypto = keys.GetCryptographyClient("issuer", key.Version!);
        var digest = SHA256.HashData("x"u8);
        var signature = (await crypto.SignAsync(SignatureAlgorithm.ES256, digest)).Signature;
        var tampered = (byte[])signature.Clone();
        tampered[10] ^= 1;

        Assert.True((await crypto.VerifyAsync(SignatureAlgorithm.ES256, digest, signature)).IsValid);
        Assert.False((await crypto.VerifyAsync(SignatureAlgorithm.ES256, digest, tampered)).IsValid);
        Assert.Equal(2, server.CallCount(KeyVaultOperation.Verify));
    }

    [Fact]
    public async Task Sign_Throttled_WaitsForRetryAfterAndSucceeds()
    {
        // The stand-in runs on the real clock here: a retry sent before Retry-After would be throttled again and, with a
        // single retry allowed, fail. Success therefore shows the pipeline waited as long as the server asked.
        await using var server = await KeyVaultStandInServer.StartAsync();
        var options = StandIn.Options(server, new CryptographyClientOptions());
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        var key = (await StandIn.Keys(server).CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;
        var crypto = new CryptographyClient(key.Id, new RecordingCredential(), options);
        var digest = SHA256.HashData("x"u8);
        await crypto.SignAsync(SignatureAlgorithm.ES256, digest);
        server.SetThrottle(1);

        await crypto.SignAsync(SignatureAlgorithm.ES256, digest);
        var result = await crypto.SignAsync(SignatureAlgorithm.ES256, digest);

        Assert.Equal(64, result.Signature.Length);
        Assert.Equal(1, server.ThrottledCount);
        Assert.Equal(4, server.CallCount(KeyVaultOperation.Sign));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(64)]
    public async Task Sign_DigestNot32Bytes_ThrowsBeforeSending(int length)
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var key = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => keys.GetCryptographyClient("issuer", key.Version!).SignAsync(SignatureAlgorithm.ES256, new byte[length]));

        Assert.Contains("32-byte", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.CallCount(KeyVaultOperation.Sign));
    }

    [Fact]
    public async Task Sign_UnsupportedAlgorithm_ThrowsBeforeSending()
    {
        await using var server = await StandIn.StartAsync();

        var crypto = new CryptographyClient(new Uri(server.VaultUri, "keys/issuer/0123456789abcdef0123456789abcdef"), new RecordingCredential(), StandIn.Options(server, new CryptographyClientOptions()));

        await Assert.ThrowsAsync<ArgumentException>(() => crypto.SignAsync(new SignatureAlgorithm("ES384"), new byte[32]));
    }

    [Fact]
    public async Task Sign_MissingVersion_ThrowsKeyNotFound()
    {
        await using var server = await StandIn.StartAsync();
        var crypto = new CryptographyClient(new Uri(server.VaultUri, "keys/issuer/0123456789abcdef0123456789abcdef"), new RecordingCredential(), StandIn.Options(server, new CryptographyClientOptions()));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => crypto.SignAsync(SignatureAlgorithm.ES256, new byte[32]));

        Assert.Equal((404, "KeyNotFound"), (error.Status, error.ErrorCode));
    }

    [Theory]
    [InlineData("https://vault.example/keys/issuer")]
    [InlineData("https://vault.example/secrets/issuer/0123")]
    [InlineData("https://vault.example/keys/bad_name/0123")]
    public void Constructor_KeyIdWithoutVersionOrMalformed_Throws(string keyId) =>
        Assert.Throws<ArgumentException>(() => new CryptographyClient(new Uri(keyId), new RecordingCredential()));
}
