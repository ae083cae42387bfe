using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Rtgf.Azure.Connections;
using Rtgf.Testing;
using Rtgf.Tooling;

namespace Rtgf.Azure.IntegrationTests.Connections;

/// <summary>
/// Identity-based connections (<c>RtgfStorage__blobServiceUri</c>… with an Entra ID token, as in Azure) through the SDK clients
/// against Azurite over HTTPS with <c>--oauth basic</c>, which checks the token's issuer, audience and lifetime (not its
/// signature) exactly where the service would. No account key is involved.
/// </summary>
public sealed class IdentityConnectionTests(IdentityConnectionTests.OAuthAzurite azurite) : IClassFixture<IdentityConnectionTests.OAuthAzurite>
{
    [Fact]
    public async Task Tables_WithBearerToken_CreateWriteAndRead()
    {
        var table = azurite.Connection().Tables(azurite.Options(new TableClientOptions())).GetTableClient("bearer");

        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 42 });

        Assert.Equal(42, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("V"));
        Assert.Contains("https://storage.azure.com/.default", azurite.Credential.Scopes);
    }

    [Fact]
    public async Task Blobs_WithBearerToken_UploadAndDownload()
    {
        var container = azurite.Connection().Blobs(azurite.Options(new BlobClientOptions())).GetBlobContainerClient("bearer");

        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("a").UploadAsync(BinaryData.FromString("token"), overwrite: true);

        Assert.Equal("token", (await container.GetBlobClient("a").DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task Queues_WithBearerToken_SendAndReceive()
    {
        var queue = azurite.Connection().Queues(azurite.Options(new QueueClientOptions())).GetQueueClient("bearer");

        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("token");

        Assert.Equal("token", Assert.Single((await queue.ReceiveMessagesAsync()).Value).MessageText);
    }

    [Fact]
    public async Task TokenForAnotherAudience_IsRejectedWithATypedError()
    {
        var wrongAudience = new JwtCredential("https://vault.azure.net");
        var table = azurite.Connection(wrongAudience).Tables(azurite.Options(new TableClientOptions())).GetTableClient("bearer");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateIfNotExistsAsync());

        Assert.Equal(403, error.Status);
        // The Tables SDK leaves ErrorCode empty when the service puts the code only in the body's message.
        Assert.Contains("AuthenticationFailed", error.ErrorCode ?? error.Message, StringComparison.Ordinal);
    }

    /// <summary>Azurite with a throwaway self-signed certificate and bearer-token checks.</summary>
    public sealed class OAuthAzurite : IAsyncLifetime
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-azurite-tls-").FullName;
        private AzuriteServer? _server;
        private string _thumbprint = string.Empty;

        public JwtCredential Credential { get; } = new("https://storage.azure.com");

        public async Task InitializeAsync()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 12, 31, 0, 0, 0, TimeSpan.Zero));
            _thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            var certPath = Path.Combine(_directory, "cert.pem");
            var keyPath = Path.Combine(_directory, "key.pem");
            await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

            _server = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot())
            {
                CertificatePath = certPath,
                KeyPath = keyPath,
                OAuthBasic = true,
            });
        }

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }

            Directory.Delete(_directory, recursive: true);
        }

        /// <summary>The identity-based settings the app reads in Azure, pointing at this Azurite.</summary>
        public StorageConnection Connection(TokenCredential? credential = null)
        {
            var account = (_server ?? throw new InvalidOperationException("Azurite has not started.")).Account;
            var settings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["RtgfStorage__blobServiceUri"] = Https(account.BlobEndpoint).AbsoluteUri,
                ["RtgfStorage__queueServiceUri"] = Https(account.QueueEndpoint).AbsoluteUri,
                ["RtgfStorage__tableServiceUri"] = Https(account.TableEndpoint).AbsoluteUri,
            };
            var connection = StorageConnection.FromSettings(key => settings.GetValueOrDefault(key), credential: credential ?? Credential);
            return connection.IsIdentityBased ? connection : throw new InvalidOperationException("The connection is not identity-based.");
        }

        private static Uri Https(Uri uri) => uri.Scheme == "https" ? uri : throw new InvalidOperationException($"Azurite is not serving {uri} over HTTPS.");

        /// <summary>Options whose transport trusts exactly this fixture's certificate.</summary>
        public T Options<T>(T options)
            where T : ClientOptions
        {
#pragma warning disable CA2000 // The transport owns the handler for the client's lifetime.
            var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.GetCertHashString(HashAlgorithmName.SHA256) == _thumbprint,
            };
#pragma warning restore CA2000
            options.Transport = new HttpClientTransport(handler);
            return AzuriteFixture.FastRetries(options);
        }
    }

    /// <summary>Issues an unsigned JWT with Entra-shaped claims for one audience.</summary>
    public sealed class JwtCredential(string audience) : TokenCredential
    {
        private readonly List<string> _scopes = [];

        public IReadOnlyList<string> Scopes
        {
            get
            {
                lock (_scopes)
                {
                    return [.. _scopes];
                }
            }
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (_scopes)
            {
                _scopes.AddRange(requestContext.Scopes);
            }

            static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var header = Part("""{"alg":"RS256","typ":"JWT"}""");
            var payload = Part($$"""{"aud":"{{audience}}","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","iat":1,"nbf":1,"exp":4102444800,"oid":"test"}""");
            return new AccessToken($"{header}.{payload}.c2lnbmF0dXJl", new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
