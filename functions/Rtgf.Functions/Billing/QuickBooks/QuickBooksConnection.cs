using Azure.Security.KeyVault.Secrets;
using Rtgf.Azure.Connections;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// The QuickBooks client and its tokens, from <see cref="QuickBooksSettings"/>: the API on the outbound pipeline (upstream
/// <c>quickbooks</c>: timeouts, 429/5xx retries honouring Retry-After, the circuit breaker) and the token endpoint on its
/// own origin (<c>quickbooks-oauth</c>). Null parts when QuickBooks is not configured.
/// </summary>
public sealed class QuickBooksConnection : IDisposable
{
    private QuickBooksConnection(QuickBooksSettings settings, QuickBooksTokens? tokens, QuickBooksClient? client)
    {
        Settings = settings;
        Tokens = tokens;
        Client = client;
    }

    public QuickBooksSettings Settings { get; }

    public QuickBooksTokens? Tokens { get; }

    public QuickBooksClient? Client { get; }

    /// <summary>The secret client in Azure: the app's managed identity (<see cref="AppIdentity"/>; Key Vault Secrets Officer on the vault).</summary>
    public static Func<Uri, SecretClient> ManagedIdentitySecrets(AppIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return vault => new SecretClient(vault, identity.Credential());
    }

    public static QuickBooksConnection Create(QuickBooksSettings settings, OutboundHttpClientFactory outbound, Func<Uri, SecretClient> secrets, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(outbound);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!settings.IsConfigured)
        {
            return new QuickBooksConnection(settings, null, null);
        }

        var options = new OutboundOptions
        {
            Name = "quickbooks",
            BaseAddress = settings.ApiBase,
            AttemptTimeout = TimeSpan.FromSeconds(30),
            TotalTimeout = TimeSpan.FromSeconds(120),
            MaxRetries = settings.MaxRetries,
            RetryBaseDelay = settings.RetryDelay,
            RetryMaxDelay = settings.RetryDelay * 20,
            MaxRetryAfter = TimeSpan.FromSeconds(60),
            MaxConcurrency = 8,
        };
        var oauthOptions = new OutboundOptions
        {
            Name = "quickbooks-oauth",
            BaseAddress = new Uri(settings.TokenUrl.GetLeftPart(UriPartial.Authority) + "/"),
            AttemptTimeout = TimeSpan.FromSeconds(30),
            TotalTimeout = TimeSpan.FromSeconds(60),
            MaxRetries = 0, // a refresh is never resent: its lost answer may have rotated the token
            MaxConcurrency = 2,
        };
#pragma warning disable CA2000 // The connection is a singleton: its clients live as long as the process.
        var tokens = new QuickBooksTokens(
            secrets(settings.KeyVaultUri!), settings.RefreshTokenSecret, outbound.CreateClient(oauthOptions), settings.TokenUrl,
            settings.ClientId!, settings.ClientSecret!, time, loggers.CreateLogger<QuickBooksTokens>());
        var client = new QuickBooksClient(outbound.CreateClient(options), tokens, settings.RealmId!);
#pragma warning restore CA2000
        return new QuickBooksConnection(settings, tokens, client);
    }

    public void Dispose() => Tokens?.Dispose();
}
