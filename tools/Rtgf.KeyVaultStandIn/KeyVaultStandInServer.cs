using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Rtgf.KeyVaultStandIn;

/// <summary>
/// An in-process stand-in for the Azure Key Vault keys REST API over HTTPS on 127.0.0.1 (OS-chosen port, self-signed
/// certificate made at start). It serves exactly the documented operations the clients use, with Key Vault's paths,
/// api-version check, JSON shapes, error bodies, 401 challenges and 429 throttling, and counts every call.
/// Private keys never leave it.
/// </summary>
public sealed class KeyVaultStandInServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly KeyVaultApi _api;
    private readonly X509Certificate2 _certificate;

    private KeyVaultStandInServer(WebApplication app, KeyVaultApi api, X509Certificate2 certificate, Uri vaultUri)
    {
        _app = app;
        _api = api;
        _certificate = certificate;
        VaultUri = vaultUri;
    }

    /// <summary>The vault URI, <c>https://127.0.0.1:{port}/</c>.</summary>
    public Uri VaultUri { get; }

    /// <summary>The server certificate (public part); trust exactly this one.</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <summary>SHA-256 thumbprint of <see cref="Certificate"/> (hex).</summary>
    public string CertificateThumbprint => _certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>What every signature currently looks like (for client robustness tests).</summary>
    public SignatureFault SignatureFault
    {
        get => _api.SignatureFault;
        set => _api.SignatureFault = value;
    }

    public static async Task<KeyVaultStandInServer> StartAsync(KeyVaultStandInOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KeyVaultStandInOptions();
        if (options.MaxPageSize is < 1 or > 25)
        {
            throw new ArgumentException("MaxPageSize is 1 to 25.", nameof(options));
        }

        var certificate = StandInCertificate.Create();
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
            var app = builder.Build();
            var api = new KeyVaultApi(options);
            app.Run(api.HandleAsync);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = new Uri(app.Urls.Single());
            var vaultUri = new Uri($"https://127.0.0.1:{address.Port}/");
            api.VaultUri = vaultUri;
            return new KeyVaultStandInServer(app, api, certificate, vaultUri);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A handler that trusts exactly this server's certificate, for <c>new HttpClientTransport(handler)</c> in
    /// <c>KeyClientOptions.Transport</c> or a raw <see cref="HttpClient"/>. The caller owns it.
    /// </summary>
    public HttpMessageHandler CreateHttpMessageHandler()
    {
        var thumbprint = CertificateThumbprint;
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                    cert is not null && string.Equals(cert.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.OrdinalIgnoreCase),
            },
        };
    }

    /// <summary>Calls of one operation that passed authentication (whatever their outcome, including 429).</summary>
    public long CallCount(KeyVaultOperation operation) => _api.Counters.Count(operation);

    /// <summary>All operation counters, for benchmarks and reports.</summary>
    public IReadOnlyDictionary<KeyVaultOperation, long> CallCounts => _api.Counters.Snapshot();

    /// <summary>429 responses sent.</summary>
    public long ThrottledCount => _api.Counters.Throttled;

    /// <summary>401 responses sent (challenges to token-less requests and rejected tokens).</summary>
    public long ChallengeCount => _api.Counters.Challenged;

    /// <summary>Throttles to <paramref name="operationsPerSecond"/> (bursts of the same size), answering 429 with Retry-After beyond it.</summary>
    public void SetThrottle(double operationsPerSecond)
    {
        if (!(operationsPerSecond > 0) || double.IsInfinity(operationsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(operationsPerSecond), operationsPerSecond, "A throttle allows a positive, finite number of operations per second.");
        }

        _api.Throttle = new TokenBucket(operationsPerSecond, _api.TimeProvider);
    }

    public void ClearThrottle() => _api.Throttle = null;

    /// <summary>Answers 403 Forbidden for an operation, as Key Vault does when the caller's role lacks it (Crypto User cannot create).</summary>
    public void Forbid(KeyVaultOperation operation) => _api.Forbid(operation, forbidden: true);

    public void Allow(KeyVaultOperation operation) => _api.Forbid(operation, forbidden: false);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _api.Dispose();
        _certificate.Dispose();
    }
}
