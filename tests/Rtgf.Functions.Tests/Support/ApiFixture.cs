using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rtgf.Core.Encoding;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Microsoft.Extensions.Options;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// The function app in process over Azurite, through the stores and writers the app itself composes
/// (<see cref="StoredAppFixture"/>): a log of 298 snapshot entries written by <see cref="LogIntegrator"/>, then one build
/// of five <see cref="Family"/> tokens published by the real <see cref="Publisher"/> (its certified key, its token
/// entries, the family's status list): 305 entries. Revocations go through <c>Publisher.RevokeAsync</c>, the freeze
/// through <c>RecordPublicationFreeze</c>, sync status through the source state store.
/// </summary>
public sealed class ApiFixture() : StoredAppFixture(IssuedAt.AddDays(1))
{
    public const string Family = "rto-registration";
    public const string ListUri = BaseUrl + "/revocations/status-lists/" + Family + "/0";
    public const int SnapshotEntries = 298;
    public static readonly DateTimeOffset IssuedAt = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<Rtgf.Compiler.CompiledToken> _published = [];
    private IReadOnlyList<RegisteredToken> _tokens = [];

    /// <summary>The app's revocation reader, and revocations through the app's publisher.</summary>
    public ApiRevocations Revocations { get; private set; } = null!;

    /// <summary>The app's freeze (<c>RecordPublicationFreeze</c>).</summary>
    public IPublicationFreeze Freeze => Services.GetRequiredService<IPublicationFreeze>();

    /// <summary>The app's token registry.</summary>
    public ITokenRegistry Registry => TokenRegistry;

    /// <summary>The app reads the published key set through this (and <see cref="Publication"/>'s key with it).</summary>
    public CountingKeySetReader KeyReads { get; private set; } = null!;

    /// <summary>
    /// A certified key the app trusts besides the published ones (the key-set decorator adds it), for tests that sign
    /// tokens of their own shape; the fixture's <see cref="Tokens"/> are signed by the publisher's key, <see cref="PublicationKid"/>.
    /// </summary>
    public CertifiedSigner Publication { get; private set; } = null!;

    /// <summary>The kid of the key the publisher certified and signed <see cref="Tokens"/> with.</summary>
    public string PublicationKid { get; private set; } = "";

    public LogIntegrator Integrator { get; private set; } = null!;

    /// <summary>The log after the snapshot entries.</summary>
    public IntegrationResult FirstBatch { get; private set; } = null!;

    /// <summary>The log after the publication (its checkpoint; <c>FirstIndex</c> is the first entry the publication appended).</summary>
    public IntegrationResult TokenBatch { get; private set; } = null!;

    /// <summary>Tokens 0..4, subjects rto:10000..rto:10004, status indexes 0..4, as the registry holds them.</summary>
    public IReadOnlyList<RegisteredToken> Tokens => _tokens;

    /// <summary>The compiled tokens of the fixture's build (their facts carry the subject, so each payload differs).</summary>
    public IReadOnlyList<Rtgf.Compiler.CompiledToken> Compiled { get; private set; } = [];

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

    /// <summary>A compiled token in the fixture's family, issued at <see cref="IssuedAt"/> for a year.</summary>
    public static Rtgf.Compiler.CompiledToken Compile(string subject) =>
        TestBuilds.Token(BaseUrl, Family, subject, $"{{\"code\":\"{subject}\",\"status\":\"current\"}}", IssuedAt, IssuedAt.AddDays(365));

    /// <summary>A <c>token</c> log entry naming the JWS by digest (docs/spec/log-format.md), for logs a test writes itself.</summary>
    public static byte[] TokenEntry(string jws, ReferenceTokenClaims claims) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"compilerVersion\":\"test\",\"issuedAt\":\"{claims.IssuedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"kid\":\"k\",\"snapshotIds\":[],\"subject\":\"{claims.Subject}\",\"tokenDigest\":\"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(jws)))}\",\"tokenId\":\"t\",\"type\":\"token\"}}"));

    /// <summary>The log entry at <paramref name="index"/>, as stored.</summary>
    public async Task<byte[]> EntryAsync(long index)
    {
        var checkpoint = await Integrator.LoadAsync();
        return (await new LogReader(new StoreObjectSource(Store)).GetEntryAsync(index, checkpoint.Checkpoint.Size)).ToArray();
    }

    /// <summary>
    /// Publishes, through the app's publisher (or <paramref name="publisher"/>), a build of every token published so far that
    /// is not revoked, plus <paramref name="added"/>: a later build that keeps the fixture's tokens.
    /// </summary>
    public async Task<Rtgf.Pipeline.Registry.Publication> PublishWithAsync(Rtgf.Compiler.CompiledToken[] added, Publisher? publisher = null)
    {
        var kept = new List<Rtgf.Compiler.CompiledToken>();
        foreach (var token in _published)
        {
            if (await Revocations.GetRevocationAsync(token.TokenId) is null)
            {
                kept.Add(token);
            }
        }

        _published.AddRange(added);
        var build = TestBuilds.Build([.. kept, .. added]);
        return await (publisher ?? Publisher).PublishAsync(BuildCompilation.ToStored(build), build);
    }

    /// <summary>A publisher over the app's stores with <paramref name="records"/> for its records (a decorated store).</summary>
    public Publisher PublisherOver(IRecordStore records) => new(
        records, Services.GetRequiredService<IBuildStore>(), Store, Services.GetRequiredService<ILogWriterLock>(), Services.GetRequiredService<IIssuerSigner>(),
        Freeze, Services.GetRequiredService<IOptions<IssuerOptions>>(), Clock);

    /// <summary>A registered token by id.</summary>
    public async Task<RegisteredToken> GetTokenAsync(string tokenId) =>
        await Registry.GetAsync(tokenId) ?? throw new InvalidOperationException($"No token {tokenId} is registered.");

    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        services.RemoveAll<IKeySetReader>();
        services.AddSingleton<IKeySetReader>(sp => KeyReads = new CountingKeySetReader(
            new RecordKeySetReader(sp.GetRequiredService<IRecordStore>(), sp.GetRequiredService<IIssuerSigner>()),
            () => Publication?.ToJsonWebKey()));
    }

    protected override async Task SeedAsync()
    {
        Publication = await CertifiedSigner.CreateAsync(Issuer, BaseUrl, IssuedAt.AddDays(-1), IssuedAt.AddDays(30));
        Revocations = new ApiRevocations(this);
        _ = Services.GetRequiredService<IKeySetReader>();

        Integrator = new LogIntegrator(Store, Origin, Issuer);
        FirstBatch = await Integrator.IntegrateAsync([.. Enumerable.Range(0, SnapshotEntries).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"snapshot\",\"n\":{i}}}")))]);

        Compiled = [.. Enumerable.Range(0, 5).Select(i => Compile("rto:" + (10000 + i).ToString(CultureInfo.InvariantCulture)))];
        var publication = await PublishWithAsync([.. Compiled]);
        var tokens = new List<RegisteredToken>();
        foreach (var compiled in Compiled)
        {
            tokens.Add(await GetTokenAsync(compiled.TokenId));
        }

        _tokens = [.. tokens.OrderBy(t => t.Subject, StringComparer.Ordinal)];
        PublicationKid = JsonDocument.Parse(Base64UrlStrict.Decode(_tokens[0].Jws.Split('.')[0], "header")).RootElement.GetProperty("kid").GetString()!;
        var loaded = await Integrator.LoadAsync();
        TokenBatch = new IntegrationResult(FirstBatch.Checkpoint.Size, (int)(publication.TreeSize - FirstBatch.Checkpoint.Size), loaded.Checkpoint, loaded.Note!);
        await SourceStates.UpdateAsync("tga", s => s with { LastStatus = "succeeded", LastRunId = "run-1", LastSuccessAt = IssuedAt, LastSuccessRunId = "run-1" });
    }
}
