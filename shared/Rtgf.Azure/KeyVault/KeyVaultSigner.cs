using System.Globalization;
using System.Security.Cryptography;
using Azure.Core;
using Rtgf.Azure.KeyVault.Internal;
using Rtgf.Core.Signing;

namespace Rtgf.Azure.KeyVault;

/// <summary>
/// An <see cref="ISigner"/> whose private key stays in Key Vault. It is bound to one key version; every signature is
/// checked to be 64 bytes from that version and to verify locally against the public key before it is returned, so a
/// format bug (DER instead of r || s, dropped leading zeros, a wrong half) fails loudly instead of publishing a bad token.
/// </summary>
public sealed class KeyVaultSigner : ISigner
{
    private readonly CryptographyClient _client;

    private KeyVaultSigner(CryptographyClient client, EcPublicKey publicKey)
    {
        _client = client;
        PublicKey = publicKey;
    }

    public EcPublicKey PublicKey { get; }

    /// <summary>The key version that signs: <c>https://{vault}/keys/{name}/{version}</c>.</summary>
    public Uri KeyId => _client.KeyId;

    /// <summary>A signer for <paramref name="keyId"/> (which must name a version); reads its public key once.</summary>
    public static Task<KeyVaultSigner> CreateAsync(Uri keyId, TokenCredential credential, KeyClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var id = KeyVaultKeyId.Parse(keyId);
        return CreateAsync(new KeyClient(id.VaultUri, credential, options), id.Name, id.Version ?? throw new ArgumentException($"Key id '{keyId}' has no version; a signer is bound to one key version.", nameof(keyId)), cancellationToken);
    }

    /// <summary>A signer for one version of a key in <paramref name="keys"/>' vault (sharing its pipeline); reads its public key once.</summary>
    public static async Task<KeyVaultSigner> CreateAsync(KeyClient keys, string keyName, string keyVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var client = keys.GetCryptographyClient(keyName, keyVersion);
        var key = (await keys.GetKeyAsync(keyName, keyVersion, cancellationToken).ConfigureAwait(false)).Value;
        if (!key.Key.KeyOps.Contains(KeyOperation.Sign))
        {
            throw new InvalidOperationException($"Key '{key.Id}' does not allow the sign operation (key_ops: {string.Join(',', key.Key.KeyOps)}).");
        }

        return new KeyVaultSigner(client, key.Key.ToEcPublicKey());
    }

    public async ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default)
    {
        var digest = sha256Digest.ToArray();
        var result = await _client.SignAsync(SignatureAlgorithm.ES256, digest, cancellationToken).ConfigureAwait(false);
        var expected = KeyId.AbsoluteUri;
        if (!string.Equals(result.KeyId, expected, StringComparison.Ordinal))
        {
            throw new CryptographicException($"Key Vault signed with '{result.KeyId}', not the bound key version '{expected}'.");
        }

        if (result.Signature.Length != 64)
        {
            throw new CryptographicException(string.Create(
                CultureInfo.InvariantCulture,
                $"Key Vault returned a {result.Signature.Length}-byte ES256 signature for '{expected}'; raw r || s is 64 bytes (DER or truncated output?)."));
        }

        using var verifier = PublicKey.CreateEcdsa();
        if (!verifier.VerifyHash(digest, result.Signature))
        {
            throw new CryptographicException($"Key Vault's ES256 signature from '{expected}' does not verify against its public key; it was not returned.");
        }

        return result.Signature;
    }
}
