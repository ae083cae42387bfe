using System.Globalization;
using Azure;
using Azure.Core;
using Rtgf.Azure.KeyVault.Internal;
using Rtgf.Core.Encryption;

namespace Rtgf.Azure.KeyVault;

/// <summary>
/// The archives' key-encryption key in Key Vault: an RSA(-HSM) key that wraps each archive's data key with RSA-OAEP-256
/// (<c>wrapkey</c>; the key never leaves the vault). It wraps with the key's current version (looked up at most every
/// <see cref="VersionRefresh"/>, or the version the configured id pins) and records the versioned kid, and unwraps with the
/// kid in the archive's header, so archives stay readable after a rotation. It refuses a kid of another vault or key
/// before anything is sent: an archive header must not choose where the app's token goes.
/// </summary>
public sealed class KeyVaultDataKeyWrapper : IDataKeyWrapper
{
    /// <summary>The algorithm recorded in archive headers (<c>kwAlg</c>).</summary>
    public const string Algorithm = "RSA-OAEP-256";

    /// <summary>How long the current version is used before it is looked up again (a rotation shows within this).</summary>
    public static readonly TimeSpan VersionRefresh = TimeSpan.FromMinutes(10);

    private readonly KeyClient _keys;
    private readonly string _name;
    private readonly string? _pinnedVersion;
    private readonly TimeProvider _time;
    private CachedVersion? _current;

    public KeyVaultDataKeyWrapper(KeyClient keys, string keyName, string? keyVersion, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(time);
        KeyVaultNames.ValidateKeyName(keyName, nameof(keyName));
        if (keyVersion is not null)
        {
            KeyVaultNames.ValidateVersion(keyVersion, nameof(keyVersion));
        }

        _keys = keys;
        _name = keyName;
        _pinnedVersion = keyVersion;
        _time = time;
    }

    /// <summary>A wrapper for <paramref name="keyId"/> (<c>https://{vault}/keys/{name}[/{version}]</c>; without a version: the current one).</summary>
    public static KeyVaultDataKeyWrapper Create(Uri keyId, TokenCredential credential, TimeProvider time, KeyClientOptions? options = null)
    {
        var id = KeyVaultKeyId.Parse(keyId);
        return new KeyVaultDataKeyWrapper(new KeyClient(id.VaultUri, credential, options), id.Name, id.Version, time);
    }

    public async Task<WrappedDataKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default)
    {
        var client = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var plain = dataKey.ToArray();
        WrapResult result;
        try
        {
            result = await client.WrapKeyAsync(KeyWrapAlgorithm.RsaOaep256, plain, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plain); // the copy the request was built from
        }

        var id = KeyVaultKeyId.Parse(new Uri(result.KeyId), "kid");
        if (!SameKey(id) || id.Version is null)
        {
            throw new InvalidOperationException($"Key Vault wrapped with '{result.KeyId}', not a version of '{_name}' in {_keys.VaultUri}.");
        }

        return new WrappedDataKey(result.KeyId, Algorithm, result.EncryptedKey);
    }

    public async Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!string.Equals(wrapped.Algorithm, Algorithm, StringComparison.Ordinal))
        {
            throw new ArchiveDecryptionException($"The data key was wrapped with {wrapped.Algorithm}, not {Algorithm} (another wrapper's archive).");
        }

        KeyVaultKeyId id;
        try
        {
            id = KeyVaultKeyId.Parse(new Uri(wrapped.KeyId), "kid");
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            throw new ArchiveDecryptionException($"The archive's key id '{wrapped.KeyId}' is not a Key Vault key version.", e);
        }

        if (!SameKey(id) || id.Version is null)
        {
            throw new ArchiveDecryptionException($"The archive was wrapped by '{wrapped.KeyId}', not by a version of '{_name}' in {_keys.VaultUri}.");
        }

        try
        {
            var result = await _keys.GetCryptographyClient(id.Name, id.Version).UnwrapKeyAsync(KeyWrapAlgorithm.RsaOaep256, wrapped.Value, cancellationToken).ConfigureAwait(false);
            return result.Key;
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            // 400: the vault could not decrypt the value (changed bytes, another key's); 404: the version is gone.
            throw new ArchiveDecryptionException(
                string.Create(CultureInfo.InvariantCulture, $"Key Vault could not unwrap the data key with '{wrapped.KeyId}' ({e.Status} {e.ErrorCode})."),
                e);
        }
    }

    private bool SameKey(KeyVaultKeyId id) =>
        string.Equals(id.VaultUri.GetLeftPart(UriPartial.Authority), _keys.VaultUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
        && string.Equals(id.Name, _name, StringComparison.OrdinalIgnoreCase);

    private async Task<CryptographyClient> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_pinnedVersion is not null)
        {
            return _keys.GetCryptographyClient(_name, _pinnedVersion);
        }

        var now = _time.GetUtcNow();
        if (Volatile.Read(ref _current) is { } cached && now < cached.Until)
        {
            return cached.Client;
        }

        // Two concurrent look-ups both find the current version; no lock needed.
        var key = (await _keys.GetKeyAsync(_name, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        if (!key.Key.KeyOps.Contains(KeyOperation.WrapKey) || key.Version is null)
        {
            throw new InvalidOperationException($"Key '{key.Id}' does not allow wrapKey (key_ops: {string.Join(',', key.Key.KeyOps)}).");
        }

        var client = _keys.GetCryptographyClient(_name, key.Version);
        Volatile.Write(ref _current, new CachedVersion(client, now + VersionRefresh));
        return client;
    }

    /// <summary>One immutable reference, so a reader never sees one look-up's client with another's expiry.</summary>
    private sealed record CachedVersion(CryptographyClient Client, DateTimeOffset Until);
}
