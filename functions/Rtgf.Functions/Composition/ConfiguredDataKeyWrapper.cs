using Rtgf.Azure.Connections;
using Rtgf.Azure.KeyVault;
using Rtgf.Core.Encryption;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Sessions;

namespace Rtgf.Functions.Composition;

/// <summary>
/// The archives' key-encryption key from configuration: <c>Archive:KeyVaultKeyId</c> (a Key Vault RSA key URI, reached
/// with the app's managed identity; wraps with the current version unless the URI pins one) or, for local development
/// only, <c>Archive:DevelopmentKeyPath</c> (32 bytes the local runner creates outside the repository), refused outside the
/// Development environment and on Azure (<see cref="DevelopmentOnly"/>). Resolved on first use, so the HTTP areas start
/// where no archive key is configured.
/// </summary>
internal sealed class ConfiguredDataKeyWrapper(IConfiguration configuration, IHostEnvironment host, TimeProvider time) : IDataKeyWrapper
{
    private readonly Lazy<Task<IDataKeyWrapper>> _inner = new(() => CreateAsync(configuration, host, time));

    public async Task<WrappedDataKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default) =>
        await (await _inner.Value.ConfigureAwait(false)).WrapAsync(dataKey, cancellationToken).ConfigureAwait(false);

    public async Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default) =>
        await (await _inner.Value.ConfigureAwait(false)).UnwrapAsync(wrapped, cancellationToken).ConfigureAwait(false);

    /// <summary>The identity that reaches the key: the app's user-assigned one (<c>AZURE_CLIENT_ID</c>), as for the issuer key.</summary>
    internal static AppIdentity Identity(IConfiguration configuration) => AppIdentity.FromSettings(key => configuration[key]);

    internal static async Task<IDataKeyWrapper> CreateAsync(IConfiguration configuration, IHostEnvironment host, TimeProvider time)
    {
        if (configuration[ArchiveSettings.KeyVaultKeyId] is { Length: > 0 } keyId)
        {
            if (!Uri.TryCreate(keyId, UriKind.Absolute, out var keyUri))
            {
                throw new InvalidOperationException($"{ArchiveSettings.KeyVaultKeyId} '{keyId}' is not an absolute key URI.");
            }

            return KeyVaultDataKeyWrapper.Create(keyUri, Identity(configuration).Credential(), time);
        }

        if (configuration[ArchiveSettings.DevelopmentKeyPath] is { Length: > 0 } path)
        {
            DevelopmentOnly.Ensure(key => configuration[key], host.EnvironmentName, ArchiveSettings.DevelopmentKeyPath, "in Azure use " + ArchiveSettings.KeyVaultKeyId);
            return await Task.Run(() => LocalDevelopmentKeyWrapper.FromFile(path)).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"No archive key is configured: set {ArchiveSettings.KeyVaultKeyId} (Azure) or {ArchiveSettings.DevelopmentKeyPath} (local development).");
    }
}
