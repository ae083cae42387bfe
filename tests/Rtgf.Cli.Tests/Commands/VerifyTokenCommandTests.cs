using System.Buffers.Text;
using System.Net;
using Rtgf.Testing;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Cli.Tests.Commands;

public sealed class VerifyTokenCommandTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset FetchedAt = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly LocalDevelopmentSigner _issuer = LocalDevelopmentSigner.Create();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rtgf-cli-");
    private readonly Dictionary<string, string> _statusLists = new(StringComparer.Ordinal);
    private X509Certificate2? _certificate;
    private WebApplication? _server;
    private string _token = string.Empty;
    private string _jwksPath = string.Empty;

    /// <summary>The test HTTPS server (a self-signed certificate this test trusts): JWKS and status lists.</summary>
    private string BaseUrl => _server!.Urls.Single();

    public async Task InitializeAsync()
    {
        _certificate = SelfSignedLocalhost();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        _server = builder.Build();
        var jwks = new JsonWebKeySet([new JsonWebKey(_issuer.PublicKey)]).ToCanonicalJson();
        _server.MapGet("/.well-known/jwks.json", () => Results.Bytes(jwks, "application/jwk-set+json"));
        _server.MapGet("/status/{name}", (string name) =>
            _statusLists.TryGetValue(name, out var jwt) ? Results.Text(jwt, "application/statuslist+jwt") : Results.NotFound());
        await _server.StartAsync();

        _statusLists["1"] = await StatusListJwtAsync(_issuer, BaseUrl + "/status/1", revokedIndex: null);
        _token = await new ReferenceTokenWriter(_issuer).WriteAsync(Claims("rto:12345", BaseUrl + "/status/1"));
        _jwksPath = Path.Combine(_directory.FullName, "jwks.json");
        await File.WriteAllBytesAsync(_jwksPath, jwks);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _issuer.Dispose();
        _certificate?.Dispose();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task VerifyToken_ValidTokenAndJwksFile_PrintsValidAndExitsZero()
    {
        var (exit, output, error) = await RunAsync(_token, "--jwks", _jwksPath, "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Valid, exit);
        Assert.Equal($"valid: kid={_issuer.PublicKey.Thumbprint} fam=rto-registration sub=rto:12345", output.TrimEnd());
        Assert.Empty(error);
    }

    [Fact]
    public async Task VerifyToken_TokenFromFile_Verifies()
    {
        var tokenPath = Path.Combine(_directory.FullName, "token.jwt");
        await File.WriteAllTextAsync(tokenPath, _token + "\n");

        var (exit, output, _) = await RunAsync("@" + tokenPath, "--jwks", _jwksPath, "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Valid, exit);
        Assert.StartsWith("valid: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_ExpiredAndTampered_PrintsEveryReasonAndExitsOne()
    {
        var parts = _token.Split('.');
        var tampered = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? "B" : "A") + parts[2][1..];

        var (exit, output, _) = await RunAsync(tampered, "--jwks", _jwksPath, "--at", "2027-01-01T00:00:00Z");

        Assert.Equal(CliApp.Invalid, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("invalid: invalid-signature: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("invalid: expired: ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_UnknownKid_ReportsUnknownKid()
    {
        using var other = LocalDevelopmentSigner.Create();
        var otherJwks = Path.Combine(_directory.FullName, "other.json");
        await File.WriteAllBytesAsync(otherJwks, new JsonWebKeySet([new JsonWebKey(other.PublicKey)]).ToCanonicalJson());

        var (exit, output, _) = await RunAsync(_token, "--jwks", otherJwks, "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Invalid, exit);
        Assert.StartsWith("invalid: unknown-kid: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_JwksFromHttpsUrl_Verifies()
    {
        var (exit, output, error) = await RunAsync(_token, "--jwks", BaseUrl + "/.well-known/jwks.json", "--at", "2026-03-02T00:00:00Z");
        var (missingExit, _, missingError) = await RunAsync(_token, "--jwks", BaseUrl + "/nope", "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Valid, exit);
        Assert.StartsWith("valid: ", output, StringComparison.Ordinal);
        Assert.Empty(error);
        Assert.Equal(CliApp.Failed, missingExit);
        Assert.Contains("HTTP 404", missingError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_JwksOverHttp_IsRefusedWithOneLine()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        var jwks = await File.ReadAllBytesAsync(_jwksPath);
        app.MapGet("/.well-known/jwks.json", () => Results.Bytes(jwks, "application/jwk-set+json"));
        await app.StartAsync();

        var (exit, output, error) = await RunAsync(_token, "--jwks", app.Urls.Single() + "/.well-known/jwks.json", "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Failed, exit);
        Assert.Empty(output);
        Assert.StartsWith("rtgf: --jwks must be an https URL or a file", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task VerifyToken_RevokedInItsStatusList_PrintsRevokedAndExitsOne()
    {
        _statusLists["revoked"] = await StatusListJwtAsync(_issuer, BaseUrl + "/status/revoked", revokedIndex: 7);
        var token = await new ReferenceTokenWriter(_issuer).WriteAsync(Claims("rto:777", BaseUrl + "/status/revoked"));

        var (exit, output, _) = await RunAsync(token, "--jwks", _jwksPath, "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Invalid, exit);
        Assert.StartsWith($"revoked: kid={_issuer.PublicKey.Thumbprint} fam=rto-registration sub=rto:777 (status 1 at index 7 of ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_SuspendedInItsStatusList_PrintsSuspendedAndExitsOne()
    {
        _statusLists["suspended"] = await StatusListJwtAsync(_issuer, BaseUrl + "/status/suspended", revokedIndex: 7, status: StatusList.Suspended);
        var token = await new ReferenceTokenWriter(_issuer).WriteAsync(Claims("rto:778", BaseUrl + "/status/suspended"));

        var (exit, output, _) = await RunAsync(token, "--jwks", _jwksPath, "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Invalid, exit);
        Assert.StartsWith($"suspended: kid={_issuer.PublicKey.Thumbprint} fam=rto-registration sub=rto:778 (status 2 at index 7 of ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_StatusIndexNotANumber_SaysNotCheckedAndExitsThree()
    {
        var parts = _token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        Assert.Contains("\"idx\":7", payload, StringComparison.Ordinal);
        var token = await SignAsync(_issuer, parts[0], payload.Replace("\"idx\":7", "\"idx\":\"7\"", StringComparison.Ordinal));

        var (exit, output, error) = await RunAsync(token, "--jwks", _jwksPath, "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Unchecked, exit);
        Assert.Equal($"unchecked: kid={_issuer.PublicKey.Thumbprint} fam=rto-registration sub=rto:12345: status not checked: the token has no status list reference", output.TrimEnd());
        Assert.Empty(error);
    }

    [Fact]
    public async Task VerifyToken_Offline_SaysTheStatusWasNotChecked()
    {
        var (exit, output, _) = await RunAsync(_token, "--jwks", _jwksPath, "--at", "2026-03-02T00:00:00Z", "--offline");

        Assert.Equal(CliApp.Unchecked, exit);
        Assert.Equal($"unchecked: kid={_issuer.PublicKey.Thumbprint} fam=rto-registration sub=rto:12345: status not checked: --offline", output.TrimEnd());
    }

    [Theory]
    [InlineData("absent", "HTTP 404")]
    [InlineData("forged", "not signed by an issuer key")]
    [InlineData("elsewhere", "'sub' is not the URI")]
    [InlineData("expired", "has expired")]
    public async Task VerifyToken_StatusListUnavailableOrUntrusted_SaysNotCheckedAndExitsThree(string name, string reason)
    {
        using var other = LocalDevelopmentSigner.Create();
        _statusLists["forged"] = await StatusListJwtAsync(other, BaseUrl + "/status/forged", revokedIndex: null);
        _statusLists["elsewhere"] = await StatusListJwtAsync(_issuer, BaseUrl + "/status/1", revokedIndex: null);
        _statusLists["expired"] = await StatusListJwtAsync(_issuer, BaseUrl + "/status/expired", revokedIndex: 7, expiresInDays: -1);
        var token = await new ReferenceTokenWriter(_issuer).WriteAsync(Claims("rto:1", BaseUrl + "/status/" + name));

        var (exit, output, _) = await RunAsync(token, "--jwks", _jwksPath, "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Unchecked, exit);
        Assert.StartsWith("unchecked: ", output, StringComparison.Ordinal);
        Assert.Contains("status not checked: ", output, StringComparison.Ordinal);
        Assert.Contains(reason, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_ControlCharactersFromTheToken_AreEscaped()
    {
        var header = Base64Url.EncodeToString("{\"alg\":\"ES256\",\"kid\":\"\\u001b]0;pwned\\u0007\\u001b[2J\",\"typ\":\"rtgf-ref+jwt\"}"u8);
        var parts = _token.Split('.');

        var (exit, output, _) = await RunAsync(header + "." + parts[1] + "." + parts[2], "--jwks", _jwksPath, "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Invalid, exit);
        Assert.DoesNotContain(output, c => char.IsControl(c) && c is not '\n' and not '\r');
        Assert.Contains("\\u001B]0;pwned\\u0007\\u001B[2J", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_MissingTokenFile_ExitsTwo()
    {
        var (exit, _, error) = await RunAsync("@" + Path.Combine(_directory.FullName, "absent.jwt"), "--jwks", _jwksPath);

        Assert.Equal(CliApp.Failed, exit);
        Assert.StartsWith("rtgf: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_JwksWithPrivateKey_ExitsTwo()
    {
        var bad = Path.Combine(_directory.FullName, "private.json");
        await File.WriteAllTextAsync(bad, """{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}]}""");

        var (exit, _, error) = await RunAsync(_token, "--jwks", bad);

        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("private key member 'd'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyToken_NoJwksOption_ExitsTwo()
    {
        var (exit, _, error) = await RunAsync(_token);

        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("--jwks", error, StringComparison.Ordinal);
    }

    private static ReferenceTokenClaims Claims(string subject, string statusUri) => new()
    {
        Issuer = "https://registry.rtgf.example",
        Subject = subject,
        Family = "rto-registration",
        IssuedAt = FetchedAt,
        NotBefore = FetchedAt,
        Expires = FetchedAt.AddDays(30),
        SnapshotDigest = "sha256:" + new string('0', 64),
        RevocationEpoch = 1,
        Status = new StatusListReference(7, statusUri),
        FactsJson = """{"code":"12345"}"""u8.ToArray(),
    };

    /// <summary>A status list token as the publisher writes it (draft-ietf-oauth-status-list), signed by <paramref name="signer"/>.</summary>
    private static async Task<string> StatusListJwtAsync(
        LocalDevelopmentSigner signer, string uri, int? revokedIndex, int expiresInDays = 1, byte status = StatusList.Invalid)
    {
        var bits = status > 1 ? 2 : 1;
        var list = new StatusList(16, bits);
        if (revokedIndex is { } index)
        {
            list[index] = status;
        }

        var header = $$"""{"alg":"ES256","kid":"{{signer.PublicKey.Thumbprint}}","typ":"statuslist+jwt"}""";
        var payload = $$"""{"exp":{{Eventually.RealTime.GetUtcNow().AddDays(expiresInDays).ToUnixTimeSeconds()}},"iat":{{FetchedAt.ToUnixTimeSeconds()}},"rev_epoch":1,"status_list":{"bits":{{bits}},"lst":"{{list.Encode()}}"},"sub":"{{uri}}","ttl":300}""";
        return await SignAsync(signer, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)), payload);
    }

    /// <summary>A compact JWS over <paramref name="payload"/> under an already encoded header.</summary>
    private static async Task<string> SignAsync(LocalDevelopmentSigner signer, string encodedHeader, string payload)
    {
        var input = encodedHeader + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = await signer.SignDigestAsync(SHA256.HashData(Encoding.ASCII.GetBytes(input)));
        return input + "." + Base64Url.EncodeToString(signature);
    }

    private static X509Certificate2 SelfSignedLocalhost()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = Eventually.RealTime.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var trusted = _certificate!.GetCertHashString(HashAlgorithmName.SHA256);
        using var http = new SocketsHttpHandler();
        http.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == trusted;
        var exit = await CliApp.RunAsync(["verify-token", .. args], new CliConsole(new StringReader(string.Empty), output, error, http));
        return (exit, output.ToString(), error.ToString());
    }
}
