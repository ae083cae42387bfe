using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Publishing;
using Rtgf.Testing;
using Rtgf.Transparency.Audit;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// One deployment in memory for the crash sweeps: the publisher's stores, the log and its writer lease (on a clock of its own,
/// so that letting a dead writer's lease expire does not move the publisher's clock), an issuer key and a manual clock.
/// Publishers write one at a time (<see cref="Publisher.WriteParallelism"/> 1) unless asked for the production parallelism, so
/// write n is the same write on every run.
/// </summary>
internal sealed class CrashWorld : IDisposable
{
    /// <summary>Tables whose rows are the published result; progress marks, the journal and unlogged keys are bookkeeping.</summary>
    private static readonly string[] PublishedTables =
        [RecordTables.Tokens, RecordTables.TokenLatest, RecordTables.Catalog, RecordTables.Families, RecordTables.Head,
         RecordTables.Publications, RecordTables.StatusLists, RecordTables.Revocations, RecordTables.Freeze];

    /// <summary>Fields holding signatures or their digests: ECDSA signs with fresh randomness (and a retry certifies a fresh key).</summary>
    private static readonly HashSet<string> SignedFields = new(StringComparer.Ordinal) { "jws", "jwt", "kid", "entry", "tokenDigest", "listDigest" };

    public CrashWorld()
    {
        IssuerKey = LocalDevelopmentSigner.Create();
        Issuer = new FixedIssuerSigner(IssuerKey);
        LeaseClock = new ManualTimeProvider(TestTokens.FetchedAt.AddDays(1));
        LogLock = new InMemoryLogWriterLock(LeaseClock);
    }

    public InMemoryRecordStore Records { get; } = new();

    public InMemoryBuildStore Builds { get; } = new();

    public InMemoryLogObjectStore Log { get; } = new();

    /// <summary>The clock the log's writer lease expires by.</summary>
    public ManualTimeProvider LeaseClock { get; }

    public InMemoryLogWriterLock LogLock { get; }

    public LocalDevelopmentSigner IssuerKey { get; }

    public IIssuerSigner Issuer { get; }

    public ManualTimeProvider Clock { get; } = new(TestTokens.FetchedAt.AddDays(1));

    public IOptions<IssuerOptions> Options { get; } =
        Microsoft.Extensions.Options.Options.Create(new IssuerOptions { Issuer = TestTokens.Issuer, PublicBaseUrl = PublishingWorld.BaseUrl, LogOrigin = PublishingWorld.Origin });

    public IPublicationFreeze Freeze(CrashBudget? budget = null) =>
        new RecordPublicationFreeze(RecordsFor(budget), LogFor(budget), LockFor(budget), Issuer, Options, Clock);

    /// <summary>A publisher writing one at a time, or (<paramref name="parallel"/>) with its production parallelism.</summary>
    public Publisher Publisher(CrashBudget? budget = null, bool parallel = false) => parallel
        ? new(RecordsFor(budget), BuildsFor(budget), LogFor(budget), LockFor(budget), Issuer, Freeze(budget), Options, Clock) { ChunkSize = 2 }
        : new(RecordsFor(budget), BuildsFor(budget), LogFor(budget), LockFor(budget), Issuer, Freeze(budget), Options, Clock) { ChunkSize = 2, WriteParallelism = 1 };

    /// <summary>
    /// The crashed process is gone and its lease (if it held one) runs out before the message is delivered again: a queue's
    /// visibility timeout outlasts a lease.
    /// </summary>
    public void LetCrashedLeaseExpire() => LeaseClock.Advance(LogWriterLease.DefaultDuration);

    /// <summary>
    /// The published result as text: every row of the published tables and every log entry other than <c>jwks</c>, with
    /// signed values masked and log indexes counted without <c>jwks</c> entries. A retry after a crash while signing certifies
    /// a fresh key (ADR 0011), which adds a <c>jwks</c> entry; everything else must be what a run without a crash publishes.
    /// </summary>
    public async Task<string> PublishedAsync()
    {
        var entries = await EntriesAsync();
        var keyEntries = entries.Select((e, i) => (e, i)).Where(x => Type(x.e) == "jwks").Select(x => (long)x.i).ToList();
        long Position(long index)
        {
            Assert.DoesNotContain(index, keyEntries);
            return Count(index);
        }

        long Count(long size) => size - keyEntries.Count(k => k < size);

        var lines = new List<string>();
        foreach (var table in PublishedTables)
        {
            lines.AddRange(Records.Rows(table).Select(r => $"{table} {r.Partition}/{r.Row} {Mask(JsonNode.Parse(r.Json), Position, Count)}"));
        }

        lines.AddRange(entries.Where(e => Type(e) != "jwks").Select(e => "log " + Mask(JsonNode.Parse(e), Position, Count)));
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Nothing signed disagrees with what is stored: the log audits clean; every token verifies with the published JWKS and the
    /// entry at its index names its exact JWS and key; every published key, status list and revocation is the entry at its index.
    /// </summary>
    public async Task AssertSignedAgreesAsync()
    {
        var audit = await new LogAuditor(new StoreObjectSource(Log), [LogKey], PublishingWorld.Origin, Log).AuditAsync();
        Assert.True(audit.IsClean, string.Join("; ", audit.Findings.Select(f => f.ToString())));
        var entries = await EntriesAsync();
        Assert.Equal(entries.Count, audit.Size ?? 0);

        var keys = await new RecordKeySetReader(Records, Issuer).GetAsync();
        using var verifier = new Es256TokenVerifier(keys, new ManualTimeProvider(TestTokens.FetchedAt.AddDays(2)));
        foreach (var row in Records.Rows(RecordTables.Tokens).Select(r => RecordStoreExtensions.Read(r, PublishingJson.Default.TokenRow)))
        {
            var verdict = verifier.Verify(row.Token.Jws);
            Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures.Select(f => f.ToString())));
            var entry = JsonNode.Parse(entries[(int)row.Token.LogIndex])!;
            Assert.Equal(
                ("token", row.Token.TokenId, LogEntries.Sha256(row.Token.Jws), row.Kid),
                (Type(entries[(int)row.Token.LogIndex]), (string?)entry["tokenId"], (string?)entry["tokenDigest"], (string?)entry["kid"]));
        }

        foreach (var key in Records.Rows(RecordTables.Jwks).Select(r => RecordStoreExtensions.Read(r, PublishingJson.Default.KeyRow)).Where(k => k.LogIndex >= 0))
        {
            Assert.Equal(key.Entry, entries[(int)key.LogIndex]);
            Assert.Equal(key.Kid, (string?)JsonNode.Parse(key.Entry)!["added"]![0]);
        }

        var lists = Records.Rows(RecordTables.StatusLists).Select(r => RecordStoreExtensions.Read(r, PublishingJson.Default.StatusListRow)).ToList();
        foreach (var list in lists)
        {
            Assert.Equal(list.Entry, entries[(int)list.LogIndex]);
            Assert.Equal(LogEntries.Sha256(list.Jwt), (string?)JsonNode.Parse(list.Entry)!["listDigest"]);
            var parts = list.Jwt.Split('.');
            using var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
            Assert.True(keys.TryGetKey(header.RootElement.GetProperty("kid").GetString()!, out var issuer));
            using var ecdsa = issuer.Key.CreateEcdsa();
            Assert.True(ecdsa.VerifyData(
                System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]), System.Security.Cryptography.HashAlgorithmName.SHA256));
        }

        foreach (var record in Records.Rows(RecordTables.Revocations).Select(r => RecordStoreExtensions.Read(r, PublishingJson.Default.RevocationRecord)))
        {
            var entry = JsonNode.Parse(entries[(int)record.LogIndex])!;
            Assert.Equal(("revocation", record.StatusListUri, record.Epoch), (Type(entries[(int)record.LogIndex]), (string?)entry["statusListUri"], (long?)entry["revEpoch"]));
        }
    }

    public void Dispose() => IssuerKey.Dispose();

    private NoteVerifierKey LogKey => new LogIntegrator(Log, PublishingWorld.Origin, IssuerKey).VerifierKey;

    private async Task<List<string>> EntriesAsync()
    {
        var reader = new LogReader(new StoreObjectSource(Log));
        if (await reader.ReadCheckpointAsync() is null)
        {
            return [];
        }

        var verification = await reader.ReadVerifiedCheckpointAsync([LogKey], PublishingWorld.Origin);
        Assert.True(verification.IsValid, verification.Reason);
        var size = verification.Checkpoint!.Size;
        var entries = new List<string>((int)size);
        for (long i = 0; i < size; i++)
        {
            entries.Add(System.Text.Encoding.UTF8.GetString((await reader.GetEntryAsync(i, size)).Span));
        }

        return entries;
    }

    private static string? Type(string entry) => (string?)JsonNode.Parse(entry)!["type"];

    private static string Mask(JsonNode? node, Func<long, long> position, Func<long, long> count)
    {
        Walk(node);
        return node?.ToJsonString() ?? "null";

        void Walk(JsonNode? n)
        {
            if (n is JsonArray array)
            {
                foreach (var item in array)
                {
                    Walk(item);
                }
            }
            else if (n is JsonObject obj)
            {
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (SignedFields.Contains(name) && obj[name] is JsonValue)
                    {
                        obj[name] = "<signed>";
                    }
                    else if (name is "logIndex" && (long?)obj[name] is >= 0 and var index)
                    {
                        obj[name] = position(index);
                    }
                    else if (name is "treeSize" && (long?)obj[name] is { } size)
                    {
                        obj[name] = count(size);
                    }
                    else
                    {
                        Walk(obj[name]);
                    }
                }
            }
        }
    }

    private IRecordStore RecordsFor(CrashBudget? budget) => budget is null ? Records : new CrashingRecordStore(Records, budget);

    private IBuildStore BuildsFor(CrashBudget? budget) => budget is null ? Builds : new CrashingBuildStore(Builds, budget);

    private ILogObjectStore LogFor(CrashBudget? budget) => budget is null ? Log : new CrashingLogObjectStore(Log, budget);

    private ILogWriterLock LockFor(CrashBudget? budget) => budget is null ? LogLock : new CrashingLogWriterLock(LogLock, budget);
}
