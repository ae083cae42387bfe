using Azure.Core;

namespace Rtgf.Azure.KeyVault;

/// <summary>
/// Options shared by <see cref="KeyClient"/> and <see cref="CryptographyClient"/>: the Azure.Core retry, diagnostics and
/// transport settings, the pinned api-version and whether the challenge's resource must match the vault's domain.
/// </summary>
public abstract class KeyVaultClientOptions : ClientOptions
{
    private protected KeyVaultClientOptions(KeyVaultServiceVersion version)
    {
        Version = version;

        // 408, 429 (honouring Retry-After) and transient 5xx are retried with jittered exponential backoff.
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 5;
        Retry.Delay = TimeSpan.FromMilliseconds(800);
        Retry.MaxDelay = TimeSpan.FromSeconds(30);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(100);

        // Authorization is always redacted by Azure.Core; nothing here carries a secret.
        foreach (var header in new[] { "x-ms-request-id", "x-ms-client-request-id", "x-ms-keyvault-service-version", "x-ms-keyvault-region", "WWW-Authenticate", "Retry-After" })
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }

        Diagnostics.LoggedQueryParameters.Add("api-version");
        Diagnostics.LoggedQueryParameters.Add("maxresults");
    }

    /// <summary>The api-version every request carries.</summary>
    public KeyVaultServiceVersion Version { get; set; }

    /// <summary>
    /// Accept a challenge whose resource is not a parent domain of the vault's host (a local stand-in on 127.0.0.1 names
    /// <c>https://vault.azure.net</c>). Off by default, so a rogue endpoint cannot ask for a token for another resource.
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }

    internal string ApiVersion => Version switch
    {
        KeyVaultServiceVersion.V7_5 => "7.5",
        KeyVaultServiceVersion.V2025_07_01 => "2025-07-01",
        _ => throw new ArgumentOutOfRangeException(nameof(Version), Version, "Unknown Key Vault service version."),
    };
}
