using System.Security.Cryptography;
using Azure;
using Rtgf.Azure.KeyVault;
using Rtgf.Core.Encryption;
using Rtgf.KeyVaultStandIn;
using Rtgf.Testing;

namespace Rtgf.Azure.Tests.KeyVault;

/// <summary>
/// RSA keys, wrapKey and unwrapKey through the stand-in (Key Vault's paths, bodies and errors), and
/// <see cref="KeyVaultDataKeyWrapper"/>: archives sealed with the vault's key open again, across a rotation, and not
/// with another key.
/// </summary>
public sealed class KeyWrapTests
{
    [Fact]
    public async Task CreateRsaKey_Hsm3072_HasTheModulusAndTheWrapOperations()
    {
        await using var server = await StandIn.StartAsync();

        var key = (await StandIn.Keys(server).CreateRsaKeyAsync(new CreateRsaKeyOptions("archive-kek", hardwareProtected: true))).Value;

        Assert.Equal(KeyType.RsaHsm, key.KeyType);
        Assert.Equal(3072 / 8, key.Key.N!.Length);
        Assert.Equal(new byte[] { 1, 0, 1 }, key.Key.E);
        Assert.Equal([KeyOperation.WrapKey, KeyOperation.UnwrapKey], key.Key.KeyOps);
        Assert.NotNull(key.Version);
    }

    [Fact]
    public async Task WrapKey_ThenUnwrapKey_RoundTrips_AndTheWrappedKeyIsRsaOaep256UnderThePublicKey()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var key = (await keys.CreateRsaKeyAsync(new CreateRsaKeyOptions("archive-kek") { KeySize = 2048 })).Value;
        var crypto = keys.GetCryptographyClient("archive-kek", key.Version!);
        var dataKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var wrapped = await crypto.WrapKeyAsync(KeyWrapAlgorithm.RsaOaep256, dataKey);
        var unwrapped = await crypto.UnwrapKeyAsync(KeyWrapAlgorithm.RsaOaep256, wrapped.EncryptedKey);

        Assert.Equal(key.Id.AbsoluteUri, wrapped.KeyId);
        Assert.Equal(256, wrapped.EncryptedKey.Length);
        Assert.Equal(dataKey, unwrapped.Key);
        Assert.Equal(1, server.CallCount(KeyVaultOperation.WrapKey));
        Assert.Equal(1, server.CallCount(KeyVaultOperation.UnwrapKey));

        // Our own RSA with the published modulus and exponent wraps a key the vault unwraps: it really is RSA-OAEP-256.
        using var local = RSA.Create(new RSAParameters { Modulus = key.Key.N, Exponent = key.Key.E });
        var ours = local.Encrypt(dataKey, RSAEncryptionPadding.OaepSHA256);
        Assert.Equal(dataKey, (await crypto.UnwrapKeyAsync(KeyWrapAlgorithm.RsaOaep256, ours)).Key);
    }

    [Fact]
    public async Task UnwrapKey_AnotherVersionsOrChangedValue_IsKeyVaultsBadParameter()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var first = (await keys.CreateRsaKeyAsync(new CreateRsaKeyOptions("archive-kek") { KeySize = 2048 })).Value;
        var second = (await keys.RotateKeyAsync("archive-kek")).Value;
        var wrapped = (await keys.GetCryptographyClient("archive-kek", first.Version!).WrapKeyAsync(KeyWrapAlgorithm.RsaOaep256, new byte[32])).EncryptedKey;
        var changed = (byte[])wrapped.Clone();
        changed[100] ^= 1;

        var wrongKey = await Assert.ThrowsAsync<RequestFailedException>(() => keys.GetCryptographyClient("archive-kek", second.Version!).UnwrapKeyAsync(KeyWrapAlgorithm.RsaOaep256, wrapped));
        var flipped = await Assert.ThrowsAsync<RequestFailedException>(() => keys.GetCryptographyClient("archive-kek", first.Version!).UnwrapKeyAsync(KeyWrapAlgorithm.RsaOaep256, changed));

        Assert.Equal((400, "BadParameter"), (wrongKey.Status, wrongKey.ErrorCode));
        Assert.Equal((400, "BadParameter"), (flipped.Status, flipped.ErrorCode));
        Assert.Equal(2048 / 8, second.Key.N!.Length); // a rotation keeps the key size
    }

    [Fact]
    public async Task WrapKey_WithAnEcKey_IsForbidden_AndWithAnUnknownAlgorithm_IsABadParameter()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var ec = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;
        var rsa = (await keys.CreateRsaKeyAsync(new CreateRsaKeyOptions("archive-kek") { KeySize = 2048 })).Value;

        var onEc = await Assert.ThrowsAsync<RequestFailedException>(() => keys.GetCryptographyClient("issuer", ec.Version!).WrapKeyAsync(KeyWrapAlgorithm.RsaOaep256, new byte[32]));
        var badAlg = await Assert.ThrowsAsync<RequestFailedException>(() => keys.GetCryptographyClient("archive-kek", rsa.Version!).WrapKeyAsync(new KeyWrapAlgorithm("A256KW"), new byte[32]));

        Assert.Equal((403, "Forbidden"), (onEc.Status, onEc.ErrorCode));
        Assert.Equal((400, "BadParameter"), (badAlg.Status, badAlg.ErrorCode));
    }

    [Fact]
    public async Task DataKeyWrapper_ArchivesStayReadableAfterARotation_AndNewOnesUseTheNewVersion()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var first = (await keys.CreateRsaKeyAsync(new CreateRsaKeyOptions("archive-kek") { KeySize = 2048 })).Value;
        var clock = new ManualTimeProvider(StandIn.Start);
        var wrapper = new KeyVaultDataKeyWrapper(keys, "archive-kek", keyVersion: null, clock);
        var before = await ArchiveEnvelope.SealAsync("before"u8.ToArray(), new Dictionary<string, string>(), wrapper);

        var second = (await keys.RotateKeyAsync("archive-kek")).Value;
        clock.Advance(KeyVaultDataKeyWrapper.VersionRefresh);
        var after = await ArchiveEnvelope.SealAsync("after"u8.ToArray(), new Dictionary<string, string>(), wrapper);

        Assert.Equal(first.Id.AbsoluteUri, ArchiveEnvelope.ReadHeader(before).KeyId);
        Assert.Equal(second.Id.AbsoluteUri, ArchiveEnvelope.ReadHeader(after).KeyId);
        Assert.Equal(KeyVaultDataKeyWrapper.Algorithm, ArchiveEnvelope.ReadHeader(after).KeyAlgorithm);
        Assert.Equal("before"u8.ToArray(), (await ArchiveEnvelope.OpenAsync(before, wrapper)).Plaintext);
        Assert.Equal("after"u8.ToArray(), (await ArchiveEnvelope.OpenAsync(after, wrapper)).Plaintext);
        Assert.Equal(2, server.CallCount(KeyVaultOperation.GetKey)); // the current version is looked up once per refresh
    }

    [Fact]
    public async Task DataKeyWrapper_AnotherKeysArchive_IsRefused_AndAChangedWrappedKeyFailsInTheVault()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        await keys.CreateRsaKeyAsync(new CreateRsaKeyOptions("archive-kek") { KeySize = 2048 });
        await keys.CreateRsaKeyAsync(new CreateRsaKeyOptions("other-kek") { KeySize = 2048 });
        var clock = new ManualTimeProvider(StandIn.Start);
        var wrapper = new KeyVaultDataKeyWrapper(keys, "archive-kek", null, clock);
        var other = new KeyVaultDataKeyWrapper(keys, "other-kek", null, clock);
        var archive = await ArchiveEnvelope.SealAsync("secret"u8.ToArray(), new Dictionary<string, string>(), other);
        var wrapped = await wrapper.WrapAsync(new byte[32]);
        var changed = wrapped with { Value = [.. wrapped.Value.Take(10), (byte)(wrapped.Value[10] ^ 1), .. wrapped.Value.Skip(11)] };
        var unwrapsBefore = server.CallCount(KeyVaultOperation.UnwrapKey);

        var wrongKey = await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveEnvelope.OpenAsync(archive, wrapper));
        Assert.Equal(unwrapsBefore, server.CallCount(KeyVaultOperation.UnwrapKey)); // refused by id, nothing sent
        Assert.Contains("other-kek", wrongKey.Message, StringComparison.Ordinal);

        var elsewhere = wrapped with { KeyId = "https://attacker.example/keys/archive-kek/0123456789abcdef" };
        await Assert.ThrowsAsync<ArchiveDecryptionException>(() => wrapper.UnwrapAsync(elsewhere));
        Assert.Equal(unwrapsBefore, server.CallCount(KeyVaultOperation.UnwrapKey)); // a header never picks where the token goes

        var flipped = await Assert.ThrowsAsync<ArchiveDecryptionException>(() => wrapper.UnwrapAsync(changed));
        Assert.Contains("400 BadParameter", flipped.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[32], await wrapper.UnwrapAsync(wrapped));
    }
}
