using Rtgf.Azure.Connections;
using Rtgf.Azure.KeyVault;
using Rtgf.Core.Signing;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Functions.Composition;

/// <summary>
/// The issuer key from configuration: <c>Signing:KeyVaultKeyId</c> (a versioned Key Vault key URI, reached with the app's
/// managed identity: the private key never leaves the vault) or, for local development only,
/// <c>Signing:DevelopmentKeyPath</c> (a PKCS#8 PEM the local runner creates outside the repository), refused outside the
/// Development environment and on Azure (<see cref="DevelopmentOnly"/>).
/// </summary>
internal sealed class ConfiguredIssuerSigner(IConfiguration configuration, IHostEnvironment host) : IIssuerSigner, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ISigner? _signer;

    public async ValueTask<ISigner> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_signer is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _signer ??= await CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        (_signer as IDisposable)?.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<ISigner> CreateAsync(CancellationToken cancellationToken)
    {
        if (configuration["Signing:KeyVaultKeyId"] is { Length: > 0 } keyId)
        {
            if (!Uri.TryCreate(keyId, UriKind.Absolute, out var keyUri))
            {
                throw new InvalidOperationException($"Signing:KeyVaultKeyId '{keyId}' is not an absolute key URI.");
            }

            return await KeyVaultSigner.CreateAsync(keyUri, AppIdentity.FromSettings(key => configuration[key]).Credential(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (configuration["Signing:DevelopmentKeyPath"] is { Length: > 0 } path)
        {
            DevelopmentOnly.Ensure(key => configuration[key], host.EnvironmentName, "Signing:DevelopmentKeyPath", "in Azure use Signing:KeyVaultKeyId");
            var pem = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            using var key = System.Security.Cryptography.ECDsa.Create();
            key.ImportFromPem(pem);
            return LocalDevelopmentSigner.Import(key.ExportParameters(includePrivateParameters: true));
        }

        throw new InvalidOperationException("No issuer key is configured: set Signing:KeyVaultKeyId (Azure) or Signing:DevelopmentKeyPath (local development).");
    }
}
