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
    private string _token = string.Empty;
    private string _jwksPath = string.Empty;

    public async Task InitializeAsync()
    {
        _token = await new ReferenceTokenWriter(_issuer).WriteAsync(Claims("rto:12345"));
        _jwksPath = Path.Combine(_directory.FullName, "jwks.json");
        await File.WriteAllBytesAsync(_jwksPath, new JsonWebKeySet([new JsonWebKey(_issuer.PublicKey)]).ToCanonicalJson());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _issuer.Dispose();
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
    public async Task VerifyToken_JwksFromKestrelUrl_Verifies()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        var jwks = await File.ReadAllBytesAsync(_jwksPath);
        app.MapGet("/.well-known/jwks.json", () => Results.Bytes(jwks, "application/jwk-set+json"));
        await app.StartAsync();
        var url = app.Urls.Single() + "/.well-known/jwks.json";

        var (exit, output, error) = await RunAsync(_token, "--jwks", url, "--at", "2026-03-02T00:00:00Z");
        var (missingExit, _, missingError) = await RunAsync(_token, "--jwks", app.Urls.Single() + "/nope", "--at", "2026-03-02T00:00:00Z");

        Assert.Equal(CliApp.Valid, exit);
        Assert.StartsWith("valid: ", output, StringComparison.Ordinal);
        Assert.Empty(error);
        Assert.Equal(CliApp.Failed, missingExit);
        Assert.Contains("HTTP 404", missingError, StringComparison.Ordinal);
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

    private static ReferenceTokenClaims Claims(string subject) => new()
    {
        Issuer = "https://registry.rtgf.example",
        Subject = subject,
        Family = "rto-registration",
        IssuedAt = FetchedAt,
        NotBefore = FetchedAt,
        Expires = FetchedAt.AddDays(30),
        SnapshotDigest = "sha256:" + new string('0', 64),
        RevocationEpoch = 1,
        Status = new StatusListReference(7, "https://registry.rtgf.example/status/1"),
        FactsJson = """{"code":"12345"}"""u8.ToArray(),
    };

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(["verify-token", .. args], new CliConsole(new StringReader(string.Empty), output, error));
        return (exit, output.ToString(), error.ToString());
    }
}
