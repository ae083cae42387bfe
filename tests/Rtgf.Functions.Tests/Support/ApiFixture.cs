using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Revocation;
using Rtgf.Pipeline.Watchtower;
using Rtgf.Testing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// The function app in process over real signed data: an issuer key, a certified publication key, reference tokens
/// written by <see cref="ReferenceTokenWriter"/>, a log built by <see cref="LogIntegrator"/> (300 snapshot entries, then
/// the token entries), and an IETF status list per family. The storage interfaces are small in-memory implementations,
/// so the Azure ones can replace them.
/// </summary>
public sealed class ApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string BaseUrl = "http://localhost";
    public const string Origin = "localhost/rtgf/log";
    public const string Family = "rto-registration";
    public const string ListUri = BaseUrl + "/revocations/status-lists/" + Family + "/0";
    public static readonly DateTimeOffset IssuedAt = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly LocalDevelopmentSigner _issuer = LocalDevelopmentSigner.Create();

    public ManualTimeProvider Clock { get; } = new(IssuedAt.AddDays(1));

    public InMemoryLogObjectStore Store { get; } = new();

    public InMemoryTokenRegistry Registry { get; } = new();

    public InMemoryFreeze Freeze { get; private set; } = null!;

    public InMemoryRevocations Revocations { get; private set; } = null!;

    public InMemoryKeySet KeySet { get; private set; } = null!;

    /// <summary>The app reads <see cref="KeySet"/> through this.</summary>
    public CountingKeySetReader KeyReads { get; private set; } = null!;

    public InMemorySyncStatus Sync { get; } = new();

    public CertifiedSigner Publication { get; private set; } = null!;

    public LogIntegrator Integrator { get; private set; } = null!;

    public IntegrationResult FirstBatch { get; private set; } = null!;

    public IntegrationResult TokenBatch { get; private set; } = null!;

    public string VerifierKey => Integrator.VerifierKey.ToString();

    public ISigner Issuer => _issuer;

    /// <summary>Tokens 0..4, subjects rto:10000..rto:10004, status indexes 0..4.</summary>
    public IReadOnlyList<RegisteredToken> Tokens => Registry.Tokens;

    public async Task InitializeAsync()
    {
        Freeze = new InMemoryFreeze(Clock);
        Revocations = new InMemoryRevocations(_issuer, Registry, Freeze, Clock);
        Publication = await CertifiedSigner.CreateAsync(_issuer, BaseUrl, IssuedAt.AddDays(-1), IssuedAt.AddDays(30));
        KeySet = new InMemoryKeySet(new JsonWebKeySet([new JsonWebKey(_issuer.PublicKey, status: "current"), Publication.ToJsonWebKey()]));
        KeyReads = new CountingKeySetReader(KeySet);
        await Revocations.AddListAsync(Family + "/0", ListUri, 64);

        Integrator = new LogIntegrator(Store, Origin, _issuer);
        FirstBatch = await Integrator.IntegrateAsync([.. Enumerable.Range(0, 300).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"snapshot\",\"n\":{i}}}")))]);

        var writer = new ReferenceTokenWriter(Publication);
        var jws = new List<(string Jws, byte[] Payload, ReferenceTokenClaims Claims)>();
        for (var i = 0; i < 5; i++)
        {
            var claims = Claims("rto:" + (10000 + i).ToString(CultureInfo.InvariantCulture), i, IssuedAt.AddDays(365));
            jws.Add((await writer.WriteAsync(claims), ReferenceTokenWriter.BuildPayload(claims), claims));
        }

        TokenBatch = await Integrator.IntegrateAsync([.. jws.Select(t => (ReadOnlyMemory<byte>)TokenEntry(t.Jws, t.Claims))]);
        for (var i = 0; i < jws.Count; i++)
        {
            var (token, payload, claims) = jws[i];
            Registry.Tokens.Add(new RegisteredToken(ReferenceTokenId.FromSignedPayload(payload), Family, claims.Subject, token, TokenBatch.FirstIndex + i,
                "sha256:" + new string('b', 64), claims.IssuedAt, claims.Expires, "sha256:" + new string('c', 64), ListUri, i, 0));
        }

        Registry.Latest = new Publication("sha256:" + new string('b', 64), IssuedAt, 5, 0, 0, TokenBatch.Checkpoint.Size, 0);
        Sync.Sources.Add(new SourceSyncStatus("tga", "0 0 * * * *", TimeSpan.FromHours(1), IssuedAt, "run-1", TimeSpan.FromMinutes(5), false, "succeeded", null, null, null, null));
    }

    /// <summary>Claims for a token in the fixture's family; the facts carry the subject so each payload differs.</summary>
    public static ReferenceTokenClaims Claims(string subject, long statusIndex, DateTimeOffset expires, long revocationEpoch = 0) => new()
    {
        Issuer = BaseUrl,
        Subject = subject,
        Family = Family,
        IssuedAt = IssuedAt,
        NotBefore = IssuedAt,
        Expires = expires,
        SnapshotDigest = "sha256:" + new string('a', 64),
        RevocationEpoch = revocationEpoch,
        Status = new StatusListReference(statusIndex, ListUri),
        FactsJson = Encoding.UTF8.GetBytes($"{{\"code\":\"{subject}\",\"status\":\"current\"}}"),
    };

    /// <summary>A <c>token</c> log entry naming the JWS by digest (docs/spec/log-format.md).</summary>
    public static byte[] TokenEntry(string jws, ReferenceTokenClaims claims) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"compilerVersion\":\"test\",\"issuedAt\":\"{claims.IssuedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"kid\":\"k\",\"snapshotIds\":[],\"subject\":\"{claims.Subject}\",\"tokenDigest\":\"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(jws)))}\",\"tokenId\":\"t\",\"type\":\"token\"}}"));

    Task IAsyncLifetime.DisposeAsync()
    {
        Publication.Dispose();
        _issuer.Dispose();
        return Task.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Rtgf:Issuer", BaseUrl).UseSetting("Rtgf:PublicBaseUrl", BaseUrl).UseSetting("Rtgf:LogOrigin", Origin).ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.RemoveAll<ILogObjectStore>();
            services.AddSingleton<ILogObjectStore>(Store);
            services.RemoveAll<ILogWriterLock>();
            services.AddSingleton<ILogWriterLock>(new InMemoryLogWriterLock(Clock));
            services.RemoveAll<IIssuerSigner>();
            services.AddSingleton<IIssuerSigner>(new TestIssuerSigner(_issuer));
            services.AddSingleton<ITokenRegistry>(Registry);
            services.AddSingleton<IRevocationReader>(Revocations);
            services.AddSingleton<IRevocationService>(Revocations);
            services.AddSingleton<IPublicationFreeze>(Freeze);
            services.AddSingleton<IKeySetReader>(KeyReads);
            services.AddSingleton<ISyncStatusReader>(Sync);
        });
}
