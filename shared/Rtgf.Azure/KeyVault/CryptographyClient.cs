using Azure.Core;
using Rtgf.Azure.KeyVault.Internal;

namespace Rtgf.Azure.KeyVault;

/// <summary>
/// Signs, verifies, wraps and unwraps with one key version in Key Vault, shaped like <c>Azure.Security.KeyVault.Keys.Cryptography.CryptographyClient</c>.
/// The key id must name a version: a signature must come from the exact key that is published.
/// </summary>
public sealed class CryptographyClient
{
    private readonly KeyVaultPipeline _pipeline;
    private readonly KeyVaultKeyId _key;

    public CryptographyClient(Uri keyId, TokenCredential credential, CryptographyClientOptions? options = null)
    {
        _key = KeyVaultKeyId.Parse(keyId);
        if (_key.Version is null)
        {
            throw new ArgumentException($"Key id '{keyId}' has no version; sign with an explicit key version.", nameof(keyId));
        }

        _pipeline = new KeyVaultPipeline(_key.VaultUri, credential, options ?? new CryptographyClientOptions());
    }

    internal CryptographyClient(KeyVaultKeyId key, KeyVaultPipeline pipeline)
    {
        _key = key;
        _pipeline = pipeline;
    }

    /// <summary>The key version this client uses: <c>https://{vault}/keys/{name}/{version}</c>.</summary>
    public Uri KeyId => new(_pipeline.VaultUri, "keys/" + _key.Name + "/" + _key.Version);

    /// <summary><c>POST /keys/{name}/{version}/sign</c>: signs a digest computed locally (32 bytes for ES256); returns raw r || s.</summary>
    public async Task<SignResult> SignAsync(SignatureAlgorithm algorithm, byte[] digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        KeyVaultNames.ValidateDigest(algorithm, digest);
        using var message = _pipeline.CreateMessage(RequestMethod.Post, ["keys", _key.Name, _key.Version!, "sign"]);
        KeyVaultPipeline.SetJsonContent(message, KeyVaultJson.SignBody(algorithm, digest));
        var response = await _pipeline.SendAsync(message, "CryptographyClient.Sign", _key.Name, cancellationToken).ConfigureAwait(false);
        var (kid, signature) = KeyVaultJson.ReadKeyOperationResult(response.Content);
        return new SignResult(kid ?? KeyId.AbsoluteUri, signature, algorithm);
    }

    /// <summary>
    /// <c>POST /keys/{name}/{version}/wrapkey</c>: encrypts a symmetric key (an archive's data key) with this RSA key version;
    /// the result names the version, which is what unwraps it.
    /// </summary>
    public async Task<WrapResult> WrapKeyAsync(KeyWrapAlgorithm algorithm, byte[] key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("There is no key to wrap (0 bytes).", nameof(key));
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Post, ["keys", _key.Name, _key.Version!, "wrapkey"]);
        KeyVaultPipeline.SetJsonContent(message, KeyVaultJson.KeyOperationBody(algorithm, key));
        var response = await _pipeline.SendAsync(message, "CryptographyClient.WrapKey", _key.Name, cancellationToken).ConfigureAwait(false);
        var (kid, value) = KeyVaultJson.ReadKeyOperationResult(response.Content);
        return new WrapResult(kid ?? KeyId.AbsoluteUri, value, algorithm);
    }

    /// <summary>
    /// <c>POST /keys/{name}/{version}/unwrapkey</c>: decrypts a key this version wrapped. A key wrapped by another key, or
    /// changed bytes, fail in the vault (400 <c>BadParameter</c>, a <see cref="global::Azure.RequestFailedException"/>).
    /// </summary>
    public async Task<UnwrapResult> UnwrapKeyAsync(KeyWrapAlgorithm algorithm, byte[] encryptedKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encryptedKey);
        if (encryptedKey.Length == 0)
        {
            throw new ArgumentException("There is no wrapped key to unwrap (0 bytes).", nameof(encryptedKey));
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Post, ["keys", _key.Name, _key.Version!, "unwrapkey"]);
        KeyVaultPipeline.SetJsonContent(message, KeyVaultJson.KeyOperationBody(algorithm, encryptedKey));
        var response = await _pipeline.SendAsync(message, "CryptographyClient.UnwrapKey", _key.Name, cancellationToken).ConfigureAwait(false);
        var (kid, value) = KeyVaultJson.ReadKeyOperationResult(response.Content);
        return new UnwrapResult(kid ?? KeyId.AbsoluteUri, value, algorithm);
    }

    /// <summary><c>POST /keys/{name}/{version}/verify</c>. Verifying locally with the public key is cheaper; this asks the vault.</summary>
    public async Task<VerifyResult> VerifyAsync(SignatureAlgorithm algorithm, byte[] digest, byte[] signature, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(signature);
        KeyVaultNames.ValidateDigest(algorithm, digest);
        using var message = _pipeline.CreateMessage(RequestMethod.Post, ["keys", _key.Name, _key.Version!, "verify"]);
        KeyVaultPipeline.SetJsonContent(message, KeyVaultJson.VerifyBody(algorithm, digest, signature));
        var response = await _pipeline.SendAsync(message, "CryptographyClient.Verify", _key.Name, cancellationToken).ConfigureAwait(false);
        return new VerifyResult(KeyId.AbsoluteUri, KeyVaultJson.ReadVerifyResult(response.Content), algorithm);
    }
}
