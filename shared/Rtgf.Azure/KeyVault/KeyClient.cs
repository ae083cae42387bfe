using Azure;
using Azure.Core;
using Rtgf.Azure.KeyVault.Internal;

namespace Rtgf.Azure.KeyVault;

/// <summary>
/// Key Vault keys (REST, pinned api-version), shaped like <c>Azure.Security.KeyVault.Keys.KeyClient</c> for the operations
/// this system uses: create an EC or RSA key, read a version, list versions, rotate, read and set the rotation policy.
/// </summary>
public sealed class KeyClient
{
    private readonly KeyVaultPipeline _pipeline;

    public KeyClient(Uri vaultUri, TokenCredential credential, KeyClientOptions? options = null)
        : this(new KeyVaultPipeline(vaultUri, credential, options ?? new KeyClientOptions()))
    {
    }

    private KeyClient(KeyVaultPipeline pipeline) => _pipeline = pipeline;

    public Uri VaultUri => _pipeline.VaultUri;

    /// <summary><c>POST /keys/{name}/create</c>: a new key, or a new version if the name exists.</summary>
    public async Task<Response<KeyVaultKey>> CreateEcKeyAsync(CreateEcKeyOptions ecKeyOptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ecKeyOptions);
        using var message = _pipeline.CreateMessage(RequestMethod.Post, ["keys", ecKeyOptions.Name, "create"]);
        KeyVaultPipeline.SetJsonContent(message, KeyVaultJson.CreateKeyBody(ecKeyOptions));
        var response = await _pipeline.SendAsync(message, "KeyClient.CreateEcKey", ecKeyOptions.Name, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(KeyVaultJson.ReadKeyBundle(response.Content), response);
    }

    /// <summary><c>POST /keys/{name}/create</c> with <c>kty</c> RSA or RSA-HSM: a key-encryption key (wrapKey/unwrapKey).</summary>
    public async Task<Response<KeyVaultKey>> CreateRsaKeyAsync(CreateRsaKeyOptions rsaKeyOptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rsaKeyOptions);
        using var message = _pipeline.CreateMessage(RequestMethod.Post, ["keys", rsaKeyOptions.Name, "create"]);
        KeyVaultPipeline.SetJsonContent(message, KeyVaultJson.CreateKeyBody(rsaKeyOptions));
        var response = await _pipeline.SendAsync(message, "KeyClient.CreateRsaKey", rsaKeyOptions.Name, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(KeyVaultJson.ReadKeyBundle(response.Content), response);
    }

    /// <summary><c>GET /keys/{name}[/{version}]</c>: the latest version, or the given one. Throws 404 <c>KeyNotFound</c>.</summary>
    public async Task<Response<KeyVaultKey>> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default)
    {
        KeyVaultNames.ValidateKeyName(name);
        if (version is not null)
        {
            KeyVaultNames.ValidateVersion(version);
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Get, version is null ? ["keys", name] : ["keys", name, version]);
        var response = await _pipeline.SendAsync(message, "KeyClient.GetKey", name, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(KeyVaultJson.ReadKeyBundle(response.Content), response);
    }

    /// <summary><c>GET /keys/{name}/versions</c>, following <c>nextLink</c> page by page; the page size hint becomes <c>maxresults</c>.</summary>
    public AsyncPageable<KeyProperties> GetPropertiesOfKeyVersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        KeyVaultNames.ValidateKeyName(name);
        return new KeyVaultPageable<KeyProperties>((nextLink, pageSize, ct) => VersionsPageAsync(name, nextLink, pageSize, ct), cancellationToken);
    }

    /// <summary><c>POST /keys/{name}/rotate</c>: a new version with the same type, curve and operations.</summary>
    public async Task<Response<KeyVaultKey>> RotateKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        KeyVaultNames.ValidateKeyName(name);
        using var message = _pipeline.CreateMessage(RequestMethod.Post, ["keys", name, "rotate"]);
        var response = await _pipeline.SendAsync(message, "KeyClient.RotateKey", name, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(KeyVaultJson.ReadKeyBundle(response.Content), response);
    }

    /// <summary><c>GET /keys/{name}/rotationpolicy</c>.</summary>
    public async Task<Response<KeyRotationPolicy>> GetKeyRotationPolicyAsync(string keyName, CancellationToken cancellationToken = default)
    {
        KeyVaultNames.ValidateKeyName(keyName, nameof(keyName));
        using var message = _pipeline.CreateMessage(RequestMethod.Get, ["keys", keyName, "rotationpolicy"]);
        var response = await _pipeline.SendAsync(message, "KeyClient.GetKeyRotationPolicy", keyName, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(KeyVaultJson.ReadRotationPolicy(response.Content), response);
    }

    /// <summary><c>PUT /keys/{name}/rotationpolicy</c>: replaces the policy and returns it as stored.</summary>
    public async Task<Response<KeyRotationPolicy>> UpdateKeyRotationPolicyAsync(string keyName, KeyRotationPolicy policy, CancellationToken cancellationToken = default)
    {
        KeyVaultNames.ValidateKeyName(keyName, nameof(keyName));
        ArgumentNullException.ThrowIfNull(policy);
        using var message = _pipeline.CreateMessage(RequestMethod.Put, ["keys", keyName, "rotationpolicy"]);
        KeyVaultPipeline.SetJsonContent(message, KeyVaultJson.RotationPolicyBody(policy));
        var response = await _pipeline.SendAsync(message, "KeyClient.UpdateKeyRotationPolicy", keyName, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(KeyVaultJson.ReadRotationPolicy(response.Content), response);
    }

    /// <summary>A client for one key version on this client's pipeline (same retries, same learned challenge).</summary>
    public CryptographyClient GetCryptographyClient(string keyName, string keyVersion)
    {
        KeyVaultNames.ValidateKeyName(keyName, nameof(keyName));
        KeyVaultNames.ValidateVersion(keyVersion, nameof(keyVersion));
        return new CryptographyClient(new KeyVaultKeyId(VaultUri, keyName, keyVersion), _pipeline);
    }

    private async Task<Page<KeyProperties>> VersionsPageAsync(string name, string? nextLink, int? pageSize, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > 25)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "Key Vault returns 1 to 25 key versions per page.");
        }

        using var message = nextLink is null
            ? _pipeline.CreateMessage(RequestMethod.Get, ["keys", name, "versions"], pageSize is { } size ? "maxresults=" + size.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
            : _pipeline.CreateMessage(RequestMethod.Get, _pipeline.NextLink(nextLink));
        var response = await _pipeline.SendAsync(message, "KeyClient.GetPropertiesOfKeyVersions", name, cancellationToken).ConfigureAwait(false);
        var (items, next) = KeyVaultJson.ReadKeyItems(response.Content);
        return Page<KeyProperties>.FromValues(items, next, response);
    }
}
