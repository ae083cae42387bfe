using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Rtgf.Compiler;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Revocation;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Publishes builds and manual revocations (docs/spec/publication.md). A publication is planned once (diff against the
/// catalog, status slots, epoch), the plan is stored immutably and adopted by compare-and-swap on the registry head, and then
/// executed in steps that are each create-only, compare-and-swap, or rewrite identical values, with log appends journalled
/// (<see cref="LogAppender"/>). A re-delivered message or a retry after a crash between any two writes finishes the same plan
/// and neither duplicates tokens nor log entries.
/// </summary>
public sealed class Publisher : IRevocationService
{
    /// <summary>Slots per status list; slot <c>i</c> of a family lives in list <c>i / ListCapacity</c>.</summary>
    public const int ListCapacity = 65_536;

    /// <summary>
    /// How far ahead of the publisher's clock a token's <c>iat</c>/<c>nbf</c> may be. Half the verifier's 60 s leeway, so a
    /// relying party whose clock is a little behind ours still accepts a fresh token; beyond it the publication waits.
    /// </summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Tokens signed, stored and logged per step (one checkpoint per chunk).</summary>
    public const int DefaultChunkSize = 4_096;

    internal const string CertifiedPartition = "certified";
    internal const string HeadKey = "head";
    internal const string PublicationPartition = "publication";
    internal const string FamilyPartition = "family";
    internal const string EpochPartition = "epoch";
    internal const string TokenPartition = "token";

    private const int MaxAdoptAttempts = 8;

    private readonly IRecordStore _records;
    private readonly IBuildStore _builds;
    private readonly ILogObjectStore _log;
    private readonly ILogWriterLock _logLock;
    private readonly IIssuerSigner _issuer;
    private readonly IPublicationFreeze _freeze;
    private readonly IssuerOptions _options;
    private readonly TimeProvider _time;

    public Publisher(
        IRecordStore records,
        IBuildStore builds,
        ILogObjectStore log,
        ILogWriterLock logLock,
        IIssuerSigner issuer,
        IPublicationFreeze freeze,
        IOptions<IssuerOptions> options,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _records = records;
        _builds = builds;
        _log = log;
        _logLock = logLock;
        _issuer = issuer;
        _freeze = freeze;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Tokens per chunk (tests make it small to exercise several chunks).</summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>Concurrent row writes within a chunk.</summary>
    public int WriteParallelism { get; init; } = 32;

    /// <summary>The URI of status list <paramref name="number"/> of <paramref name="family"/>.</summary>
    public static string StatusListUri(string publicBaseUrl, string family, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{publicBaseUrl.TrimEnd('/')}/revocations/status-lists/{family}/{number}");

    internal static string ListRow(long number) => number.ToString("D6", CultureInfo.InvariantCulture);

    internal static string EpochRow(long epoch, string tokenId) => string.Create(CultureInfo.InvariantCulture, $"{epoch:D19}|{tokenId}");

    /// <summary>
    /// Publishes <paramref name="compiled"/> (the recompiled <paramref name="build"/>): issues, keeps and revokes tokens per
    /// (family, subject). Returns the publication (the stored one when the build was published before).
    /// </summary>
    /// <exception cref="PublicationFrozenException">Publication is frozen.</exception>
    /// <exception cref="PublicationWaitException">Another publication is in progress, or the tokens are dated ahead of our clock.</exception>
    public async Task<Publication> PublishAsync(StoredBuild build, CompileResult compiled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(compiled);
        if (!string.Equals(build.BuildId, compiled.BuildId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The compiled build is {compiled.BuildId}, not the stored build {build.BuildId}.", nameof(compiled));
        }

        await EnsureNotFrozenAsync(cancellationToken).ConfigureAwait(false);
        var key = build.Hex;
        var tokens = new Dictionary<string, CompiledToken>(StringComparer.Ordinal);
        var validFrom = DateTimeOffset.MinValue;
        foreach (var token in compiled.Tokens)
        {
            if (!tokens.TryAdd(token.TokenId, token))
            {
                throw new InvalidOperationException($"Build {build.BuildId} holds token {token.TokenId} twice.");
            }

            validFrom = Max(validFrom, Max(token.IssuedAt, token.NotBefore));
        }

        // The token id is the hash of the compiled payload, so iat/nbf cannot be changed here: a token dated ahead of our
        // clock would be not-yet-valid for every relying party, so its publication waits until our clock reaches it.
        var now = _time.GetUtcNow();
        if (validFrom > now + AllowedClockSkew)
        {
            throw new PublicationWaitException(
                PublicationWaitReason.NotYetValid,
                $"Build {build.BuildId} holds tokens valid from {validFrom:O}, ahead of the publisher's clock ({now:O}) by more than {AllowedClockSkew.TotalSeconds:0} s.",
                validFrom - AllowedClockSkew);
        }

        var plan = await AdoptAsync(
            key,
            async ct => await GetPublicationAsync(key, ct).ConfigureAwait(false) is not null,
            (head, ct) => PlanBuildAsync(key, build, compiled, head, ct),
            cancellationToken).ConfigureAwait(false);
        if (plan is not null)
        {
            await ExecuteAsync(plan, tokens, cancellationToken).ConfigureAwait(false);
        }

        return await GetPublicationAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Publication {key} completed but its row is missing.");
    }

    /// <inheritdoc />
    public async Task<RevocationRecord> RevokeAsync(string tokenId, string reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var key = "manual-" + tokenId;
        // Revoked before, by a publication that completed. A record is written before its plan completes, so one of an epoch
        // still being published is not an answer yet: this revocation in progress (a crash after its record) is finished
        // below; a build still publishing it makes AdoptAsync wait (Busy) like any other publication in progress.
        if (await GetRevocationAsync(tokenId, cancellationToken).ConfigureAwait(false) is { } existing &&
            existing.Epoch <= (await ReadHeadAsync(_records, cancellationToken).ConfigureAwait(false)).Head.LastCompleteEpoch())
        {
            return existing;
        }

        await EnsureNotFrozenAsync(cancellationToken).ConfigureAwait(false);
        var row = await _records.GetAsync(RecordTables.Tokens, RegistryKeys.TokenPartition(tokenId), tokenId, PublishingJson.Default.TokenRow, cancellationToken).ConfigureAwait(false);
        if (row is not { Value: var stored } || stored.Token.LogIndex < 0)
        {
            throw new KeyNotFoundException($"No published token has id '{tokenId}'.");
        }

        var plan = await AdoptAsync(
            key,
            async ct => await GetRevocationAsync(tokenId, ct).ConfigureAwait(false) is not null,
            (head, _) => Task.FromResult(new PublicationPlan(
                key, "manual", null, _time.GetUtcNow(), head.Epoch + 1, [], TokenCompiler.Version, [],
                [new PlannedRevocation(tokenId, stored.Token.Family, stored.Token.Subject, stored.GlobalIndex, "manual", reason, null)], 0, actor)),
            cancellationToken).ConfigureAwait(false);
        if (plan is not null)
        {
            await ExecuteAsync(plan, new Dictionary<string, CompiledToken>(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        }

        return await GetRevocationAsync(tokenId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The revocation of {tokenId} completed but its record is missing.");
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    internal async Task EnsureNotFrozenAsync(CancellationToken cancellationToken)
    {
        var freeze = await _freeze.GetAsync(cancellationToken).ConfigureAwait(false);
        if (freeze.IsFrozen)
        {
            throw new PublicationFrozenException(
                $"Publication is frozen since {freeze.FrozenAt:O} (build {freeze.BuildId}: {freeze.Reason}); an operator must clear it first.");
        }
    }

    private async Task<Publication?> GetPublicationAsync(string key, CancellationToken cancellationToken) =>
        (await _records.GetAsync(RecordTables.Publications, PublicationPartition, key, PublishingJson.Default.Publication, cancellationToken).ConfigureAwait(false))?.Value;

    private async Task<RevocationRecord?> GetRevocationAsync(string tokenId, CancellationToken cancellationToken) =>
        (await _records.GetAsync(RecordTables.Revocations, TokenPartition, tokenId, PublishingJson.Default.RevocationRecord, cancellationToken).ConfigureAwait(false))?.Value;

    internal static async Task<(HeadRow Head, string? ETag)> ReadHeadAsync(IRecordStore records, CancellationToken cancellationToken)
    {
        var stored = await records.GetAsync(RecordTables.Head, HeadKey, HeadKey, PublishingJson.Default.HeadRow, cancellationToken).ConfigureAwait(false);
        return stored is { } s ? (s.Value, s.ETag) : (new HeadRow(0, new Dictionary<string, long>(StringComparer.Ordinal), null, null, null), null);
    }

    private Task<bool> WriteHeadAsync(HeadRow head, string? etag, CancellationToken cancellationToken) => etag is null
        ? _records.TryCreateAsync(RecordTables.Head, HeadKey, HeadKey, head, PublishingJson.Default.HeadRow, cancellationToken)
        : _records.TryReplaceAsync(RecordTables.Head, HeadKey, HeadKey, head, etag, PublishingJson.Default.HeadRow, cancellationToken);

    /// <summary>
    /// Returns the plan to execute for <paramref name="key"/>: the adopted one if this key is in progress, else a new plan
    /// adopted by compare-and-swap on the head; null when <paramref name="isDone"/> says the work was completed before.
    /// </summary>
    private async Task<PublicationPlan?> AdoptAsync(
        string key, Func<CancellationToken, Task<bool>> isDone, Func<HeadRow, CancellationToken, Task<PublicationPlan>> makePlan, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAdoptAttempts; attempt++)
        {
            var (head, etag) = await ReadHeadAsync(_records, cancellationToken).ConfigureAwait(false);
            if (string.Equals(head.InProgress, key, StringComparison.Ordinal))
            {
                var stored = await _builds.GetDocumentAsync(head.PlanPath!, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"The plan '{head.PlanPath}' of publication {key} is missing.");
                return JsonSerializer.Deserialize(stored.Span, PublishingJson.Default.PublicationPlan)!;
            }

            if (head.InProgress is { } other)
            {
                throw new PublicationWaitException(PublicationWaitReason.Busy, $"Publication '{other}' is unfinished; '{key}' waits until it completes.");
            }

            // Completion writes its record before it clears the head, so with no publication in progress this check is final.
            if (await isDone(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var plan = await makePlan(head, cancellationToken).ConfigureAwait(false);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(plan, PublishingJson.Default.PublicationPlan);
            var path = $"plans/{key}/{LogEntries.Sha256(bytes)["sha256:".Length..]}.json";
            await _builds.PutDocumentAsync(path, bytes, cancellationToken).ConfigureAwait(false);

            var next = new Dictionary<string, long>(head.NextIndex, StringComparer.Ordinal);
            foreach (var issue in plan.Issues)
            {
                next[issue.Family] = Math.Max(next.GetValueOrDefault(issue.Family), issue.GlobalIndex + 1);
            }

            // Nothing is in progress here, so every revocation up to the head's epoch is stored; the plan's own epoch (one
            // more when it revokes anything) is complete only when it is.
            var adopted = head with { Epoch = plan.Epoch, NextIndex = next, InProgress = key, PlanPath = path, CompleteEpoch = head.Epoch };
            if (await WriteHeadAsync(adopted, etag, cancellationToken).ConfigureAwait(false))
            {
                return plan;
            }
        }

        throw new InvalidOperationException($"The registry head kept changing; publication {key} was not started after {MaxAdoptAttempts} attempts.");
    }

    private async Task<PublicationPlan> PlanBuildAsync(string key, StoredBuild build, CompileResult compiled, HeadRow head, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        var byFamily = compiled.Tokens.GroupBy(t => t.Family, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var known = await _records.QueryAllAsync(RecordTables.Families, FamilyPartition, cancellationToken).ConfigureAwait(false);
        // A family the build skipped (an optional source it did not read) is not "every token gone": leave it alone.
        var skipped = compiled.SkippedFamilies;
        var families = byFamily.Keys.Concat(known.Select(r => r.Row)).Where(f => !skipped.Contains(f))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var issues = new List<PlannedIssue>();
        var revocations = new List<PlannedRevocation>();
        long unchanged = 0;
        foreach (var family in families)
        {
            var current = new Dictionary<string, CatalogRow>(StringComparer.Ordinal);
            foreach (var row in await _records.QueryAllAsync(RecordTables.Catalog, family, cancellationToken).ConfigureAwait(false))
            {
                current[row.Row] = RecordStoreExtensions.Read(row, PublishingJson.Default.CatalogRow);
            }

            var next = head.NextIndex.GetValueOrDefault(family);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var token in (byFamily.GetValueOrDefault(family) ?? []).OrderBy(t => t.Subject, StringComparer.Ordinal))
            {
                if (!seen.Add(token.Subject))
                {
                    throw new InvalidOperationException($"Build {build.BuildId} has two {family} tokens for subject '{token.Subject}'.");
                }

                if (!current.TryGetValue(token.Subject, out var existing))
                {
                    issues.Add(new PlannedIssue(token.TokenId, family, token.Subject, next++, null));
                    continue;
                }

                if (string.Equals(existing.TokenId, token.TokenId, StringComparison.Ordinal))
                {
                    unchanged++;
                    continue;
                }

                if (string.Equals(existing.FactsDigest, token.FactsDigest, StringComparison.Ordinal))
                {
                    // Same facts: keep the token unless it is in the second half of its validity, then renew it (the old one
                    // stays valid until it expires; nothing it asserted became false).
                    var half = (existing.Expires - existing.IssuedAt) / 2;
                    if (at < existing.Expires - half)
                    {
                        unchanged++;
                        continue;
                    }

                    issues.Add(new PlannedIssue(token.TokenId, family, token.Subject, next++, existing.TokenId));
                    continue;
                }

                if (string.Equals(existing.AssertionDigest ?? existing.FactsDigest, token.AssertionDigest, StringComparison.Ordinal))
                {
                    // Only the provenance changed (a screening against a newer list, same result): what the old token
                    // asserted is still true, so the new one replaces it in the catalog without revoking it.
                    issues.Add(new PlannedIssue(token.TokenId, family, token.Subject, next++, existing.TokenId));
                    continue;
                }

                issues.Add(new PlannedIssue(token.TokenId, family, token.Subject, next++, existing.TokenId));
                revocations.Add(new PlannedRevocation(existing.TokenId, family, token.Subject, existing.GlobalIndex, "automatic", "facts changed", token.TokenId));
            }

            foreach (var (subject, gone) in current.Where(c => !seen.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                revocations.Add(new PlannedRevocation(gone.TokenId, family, subject, gone.GlobalIndex, "automatic", "subject no longer in the source", null));
            }
        }

        var snapshotIds = build.Inputs.Select(i => i.Digest).Order(StringComparer.Ordinal).ToList();
        var epoch = revocations.Count > 0 ? head.Epoch + 1 : head.Epoch;
        return new PublicationPlan(key, "build", build.BuildId, at, epoch, snapshotIds, TokenCompiler.Version, issues, revocations, unchanged, null);
    }

    private async Task ExecuteAsync(PublicationPlan plan, IReadOnlyDictionary<string, CompiledToken> compiled, CancellationToken cancellationToken)
    {
        var issuer = await _issuer.GetAsync(cancellationToken).ConfigureAwait(false);
        // One lease for the whole plan: another delivery of it waits (and is re-queued) instead of signing beside this one.
        await using var log = await LogAppender.OpenAsync(_records, _log, _logLock, issuer, _options.LogOrigin, cancellationToken).ConfigureAwait(false);
        CertifiedSigner? signer = null;
        try
        {
            for (var start = 0; start < plan.Issues.Count; start += ChunkSize)
            {
                await log.KeepAsync(cancellationToken).ConfigureAwait(false);
                var chunk = plan.Issues.Skip(start).Take(ChunkSize).ToList();
                var name = string.Create(CultureInfo.InvariantCulture, $"c{start / ChunkSize:D6}");
                signer = await IssueChunkAsync(plan, name, chunk, compiled, issuer, log, signer, cancellationToken).ConfigureAwait(false);
            }

            await PublishStatusListsAsync(plan, issuer, log, cancellationToken).ConfigureAwait(false);
            await UpdateFamiliesAsync(plan, cancellationToken).ConfigureAwait(false);
            await CompleteAsync(plan, log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            signer?.Dispose();
        }
    }

    private async Task<bool> MarkAsync(string planKey, string step, CancellationToken cancellationToken) =>
        await _records.TryCreateAsync(RecordTables.Progress, planKey, step, new ProgressRow(step), PublishingJson.Default.ProgressRow, cancellationToken).ConfigureAwait(false);

    private async Task<bool> IsMarkedAsync(string planKey, string step, CancellationToken cancellationToken) =>
        await _records.GetAsync(RecordTables.Progress, planKey, step, cancellationToken).ConfigureAwait(false) is not null;

    private async Task<CertifiedSigner?> IssueChunkAsync(
        PublicationPlan plan, string name, List<PlannedIssue> chunk, IReadOnlyDictionary<string, CompiledToken> compiled, ISigner issuer, LogAppender log,
        CertifiedSigner? signer, CancellationToken cancellationToken)
    {
        if (await IsMarkedAsync(plan.Key, name + "-done", cancellationToken).ConfigureAwait(false))
        {
            return signer;
        }

        var rows = new TokenRow?[chunk.Count];
        if (!await MarkAsync(plan.Key, name + "-started", cancellationToken).ConfigureAwait(false))
        {
            // An earlier attempt got here: keep every token it stored (its signature is the one that may have been logged).
            await Parallel.ForAsync(0, chunk.Count, Concurrently(cancellationToken), async (i, ct) =>
                rows[i] = (await _records.GetAsync(RecordTables.Tokens, RegistryKeys.TokenPartition(chunk[i].TokenId), chunk[i].TokenId, PublishingJson.Default.TokenRow, ct).ConfigureAwait(false))?.Value).ConfigureAwait(false);
        }

        var missing = Enumerable.Range(0, chunk.Count).Where(i => rows[i] is null).ToList();
        if (missing.Count > 0)
        {
            signer ??= await CreateSignerAsync(plan, compiled, issuer, log, cancellationToken).ConfigureAwait(false);
            var claims = missing.Select(i => Claims(plan, chunk[i], Compiled(compiled, chunk[i]))).ToList();
            var jws = ReferenceTokenWriter.WriteMany(claims, signer);
            var created = new TokenRow[missing.Count];
            for (var m = 0; m < missing.Count; m++)
            {
                var issue = chunk[missing[m]];
                var token = Compiled(compiled, issue);
                var number = issue.GlobalIndex / ListCapacity;
                created[m] = new TokenRow(
                    new RegisteredToken(
                        issue.TokenId, issue.Family, issue.Subject, jws[m], -1, plan.BuildId!, token.IssuedAt, token.Expires, token.FactsDigest,
                        StatusListUri(_options.PublicBaseUrl, issue.Family, number), issue.GlobalIndex % ListCapacity, plan.Epoch),
                    signer.PublicKey.Thumbprint,
                    issue.GlobalIndex);
            }

            // Create-only in batches per bucket; a batch that meets an existing row (a concurrent delivery) falls back to
            // row by row, keeping the stored row: its signature is the one that may be logged.
            var byPosition = Enumerable.Range(0, missing.Count).ToDictionary(m => created[m].Token.TokenId, m => m, StringComparer.Ordinal);
            var batches = Batches(created.Select(r => (RegistryKeys.TokenPartition(r.Token.TokenId), r.Token.TokenId, Json(r, PublishingJson.Default.TokenRow))));
            await Parallel.ForEachAsync(batches, Concurrently(cancellationToken), async (batch, ct) =>
            {
                if (await _records.TryCreateBatchAsync(RecordTables.Tokens, batch.Partition, batch.Rows, ct).ConfigureAwait(false))
                {
                    foreach (var r in batch.Rows)
                    {
                        rows[missing[byPosition[r.Row]]] = created[byPosition[r.Row]];
                    }

                    return;
                }

                foreach (var r in batch.Rows)
                {
                    var m = byPosition[r.Row];
                    rows[missing[m]] = await _records.TryCreateAsync(RecordTables.Tokens, batch.Partition, r.Row, r.Json, ct).ConfigureAwait(false)
                        ? created[m]
                        : (await _records.GetAsync(RecordTables.Tokens, batch.Partition, r.Row, PublishingJson.Default.TokenRow, ct).ConfigureAwait(false))!.Value.Value;
                }
            }).ConfigureAwait(false);
        }

        var entries = rows.Select(r => LogEntries.Token(r!, plan.SnapshotIds, plan.CompilerVersion)).ToList();
        var first = await log.AppendOnceAsync(plan.Key, name, entries, cancellationToken).ConfigureAwait(false);

        // Token rows get their log index first (the registry serves a token once it has one), then the indexes.
        var logged = rows.Select((r, i) => r! with { Token = r!.Token with { LogIndex = first + i } }).ToList();
        await UpsertBatchesAsync(
            RecordTables.Tokens, logged.Select(r => (RegistryKeys.TokenPartition(r.Token.TokenId), r.Token.TokenId, Json(r, PublishingJson.Default.TokenRow))), cancellationToken).ConfigureAwait(false);
        var current = logged.Select((r, i) => (r.Token, Row: Json(
            new CatalogRow(r.Token.TokenId, r.Token.FactsDigest, r.Token.IssuedAt, r.Token.Expires, r.GlobalIndex, Compiled(compiled, chunk[i]).AssertionDigest, r.Token.LogIndex),
            PublishingJson.Default.CatalogRow))).ToList();
        var indexes = Batches(current.Select(c => (RegistryKeys.LatestPartition(c.Token.Subject), RegistryKeys.LatestRow(c.Token.Subject, c.Token.Family), c.Row)))
            .Select(b => (Table: RecordTables.TokenLatest, b.Partition, b.Rows))
            .Concat(Batches(current.Select(c => (c.Token.Family, c.Token.Subject, c.Row))).Select(b => (Table: RecordTables.Catalog, b.Partition, b.Rows)));
        await Parallel.ForEachAsync(indexes, Concurrently(cancellationToken), async (batch, ct) =>
            await _records.UpsertBatchAsync(batch.Table, batch.Partition, batch.Rows, ct).ConfigureAwait(false)).ConfigureAwait(false);

        await MarkAsync(plan.Key, name + "-done", cancellationToken).ConfigureAwait(false);
        return signer;
    }

    private static string Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    /// <summary>Rows grouped by partition (ordinal order) and split into batches the store accepts.</summary>
    private static List<(string Partition, List<RecordBatchRow> Rows)> Batches(IEnumerable<(string Partition, string Row, string Json)> rows) =>
        [.. rows.GroupBy(r => r.Partition, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => RecordBatch.Split(g.Select(r => new RecordBatchRow(r.Row, r.Json))).Select(b => (g.Key, b)))];

    /// <summary>Unconditional batch writes of values every retry computes identically; independent batches go out concurrently.</summary>
    private Task UpsertBatchesAsync(string table, IEnumerable<(string Partition, string Row, string Json)> rows, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Batches(rows), Concurrently(cancellationToken), async (batch, ct) =>
            await _records.UpsertBatchAsync(table, batch.Partition, batch.Rows, ct).ConfigureAwait(false));

    /// <summary>Row writes of a chunk are independent (each idempotent), so they go out concurrently.</summary>
    private ParallelOptions Concurrently(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken };

    private static CompiledToken Compiled(IReadOnlyDictionary<string, CompiledToken> compiled, PlannedIssue issue) =>
        compiled.TryGetValue(issue.TokenId, out var token)
            ? token
            : throw new InvalidOperationException($"The plan issues token {issue.TokenId}, which the recompiled build does not hold: the build is not deterministic.");

    private ReferenceTokenClaims Claims(PublicationPlan plan, PlannedIssue issue, CompiledToken token) => new()
    {
        Issuer = _options.Issuer,
        Subject = token.Subject,
        Family = token.Family,
        IssuedAt = token.IssuedAt,
        NotBefore = token.NotBefore,
        Expires = token.Expires,
        SnapshotDigest = token.SnapshotDigest,
        RevocationEpoch = plan.Epoch,
        Status = new StatusListReference(issue.GlobalIndex % ListCapacity, StatusListUri(_options.PublicBaseUrl, issue.Family, issue.GlobalIndex / ListCapacity)),
        FactsJson = System.Text.Encoding.UTF8.GetBytes(token.FactsJson),
    };

    /// <summary>
    /// One certified key per publication attempt (ADR 0006), valid for the <c>iat</c>s of the plan's tokens. It enters the
    /// JWKS table and the log before it signs anything, so every token it signs verifies and its key is on record.
    /// </summary>
    private async Task<CertifiedSigner> CreateSignerAsync(
        PublicationPlan plan, IReadOnlyDictionary<string, CompiledToken> compiled, ISigner issuer, LogAppender log, CancellationToken cancellationToken)
    {
        var issuedAt = plan.Issues.Select(i => Compiled(compiled, i).IssuedAt.ToUnixTimeSeconds()).ToList();
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(issuedAt.Min());
        var expires = DateTimeOffset.FromUnixTimeSeconds(issuedAt.Max() + 1);
        var signer = await CertifiedSigner.CreateAsync(issuer, _options.Issuer, notBefore, expires, cancellationToken).ConfigureAwait(false);
        try
        {
            var kid = signer.PublicKey.Thumbprint;
            var jwk = System.Text.Encoding.UTF8.GetString(signer.ToJsonWebKey().ToCanonicalJson());
            var existing = await _records.QueryAllAsync(RecordTables.Jwks, CertifiedPartition, cancellationToken).ConfigureAwait(false);
            var logged = existing.Select(r => RecordStoreExtensions.Read(r, PublishingJson.Default.KeyRow)).Where(k => k.LogIndex >= 0).Select(k => k.Jwk);
            var set = PublishedKeySet.Build(issuer, [.. logged, jwk]);
            var entry = LogEntries.Jwks(LogEntries.Sha256(set.ToCanonicalJson()), kid, _time.GetUtcNow());
            var row = new KeyRow(kid, jwk, plan.Key, entry, -1);
            await _records.TryCreateAsync(RecordTables.Jwks, CertifiedPartition, kid, row, PublishingJson.Default.KeyRow, cancellationToken).ConfigureAwait(false);
            var index = await log.AppendOnceAsync(plan.Key, "jwks-" + kid, [entry], cancellationToken).ConfigureAwait(false);
            await _records.UpsertAsync(RecordTables.Jwks, CertifiedPartition, kid, row with { LogIndex = index }, PublishingJson.Default.KeyRow, cancellationToken).ConfigureAwait(false);
            return signer;
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Revokes the plan's tokens: catalog rows removed, bits set in each affected status list, every list that gained slots or
    /// bits republished and logged as a <c>revocation</c> entry (plus an <c>operator-action</c> entry for a manual revocation),
    /// then the revocation records.
    /// </summary>
    private async Task PublishStatusListsAsync(PublicationPlan plan, ISigner issuer, LogAppender log, CancellationToken cancellationToken)
    {
        if ((plan.Issues.Count == 0 && plan.Revocations.Count == 0) || await IsMarkedAsync(plan.Key, "lists-done", cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var revocation in plan.Revocations)
        {
            var current = await _records.GetAsync(RecordTables.Catalog, revocation.Family, revocation.Subject, PublishingJson.Default.CatalogRow, cancellationToken).ConfigureAwait(false);
            if (current is { Value: var row } && string.Equals(row.TokenId, revocation.TokenId, StringComparison.Ordinal))
            {
                await _records.DeleteAsync(RecordTables.Catalog, revocation.Family, revocation.Subject, cancellationToken).ConfigureAwait(false);
            }
        }

        var lists = plan.Issues.Select(i => (i.Family, Number: i.GlobalIndex / ListCapacity))
            .Concat(plan.Revocations.Select(r => (r.Family, Number: r.GlobalIndex / ListCapacity)))
            .Distinct()
            .OrderBy(l => l.Family, StringComparer.Ordinal).ThenBy(l => l.Number)
            .ToList();
        var published = new List<StatusListRow>(lists.Count);
        foreach (var (family, number) in lists)
        {
            published.Add(await PublishListAsync(plan, issuer, family, number, cancellationToken).ConfigureAwait(false));
        }

        var entries = published.Select(p => p.Entry).ToList();
        if (plan.Actor is { } actor)
        {
            foreach (var revocation in plan.Revocations)
            {
                entries.Add(LogEntries.OperatorAction(actor, "revoke-token", revocation.TokenId, revocation.Reason, plan.At));
            }
        }

        var first = await log.AppendOnceAsync(plan.Key, "lists", entries, cancellationToken).ConfigureAwait(false);
        var indexByList = new Dictionary<(string, long), long>();
        for (var i = 0; i < published.Count; i++)
        {
            var row = published[i] with { LogIndex = first + i };
            indexByList[(row.Family, row.Number)] = row.LogIndex;
            await _records.UpsertAsync(RecordTables.StatusLists, row.Family, ListRow(row.Number), row, PublishingJson.Default.StatusListRow, cancellationToken).ConfigureAwait(false);
        }

        var records = plan.Revocations.Select(revocation =>
        {
            var number = revocation.GlobalIndex / ListCapacity;
            return Json(
                new RevocationRecord(
                    plan.Epoch, revocation.TokenId, revocation.Family, revocation.Subject, StatusListUri(_options.PublicBaseUrl, revocation.Family, number),
                    revocation.GlobalIndex % ListCapacity, revocation.Kind, revocation.Reason, revocation.ReplacedBy, plan.At, indexByList[(revocation.Family, number)]),
                PublishingJson.Default.RevocationRecord);
        }).ToList();

        // The epoch partition first: a token's record is what marks it revoked (and what RevokeAsync returns).
        await UpsertBatchesAsync(
            RecordTables.Revocations, plan.Revocations.Select((r, i) => (EpochPartition, EpochRow(plan.Epoch, r.TokenId), records[i])), cancellationToken).ConfigureAwait(false);
        await UpsertBatchesAsync(
            RecordTables.Revocations, plan.Revocations.Select((r, i) => (TokenPartition, r.TokenId, records[i])), cancellationToken).ConfigureAwait(false);

        await MarkAsync(plan.Key, "lists-done", cancellationToken).ConfigureAwait(false);
    }

    private async Task<StatusListRow> PublishListAsync(PublicationPlan plan, ISigner issuer, string family, long number, CancellationToken cancellationToken)
    {
        var stored = await _records.GetAsync(RecordTables.StatusLists, family, ListRow(number), PublishingJson.Default.StatusListRow, cancellationToken).ConfigureAwait(false);
        if (stored is { Value: var mine } && string.Equals(mine.PlanKey, plan.Key, StringComparison.Ordinal))
        {
            return mine; // published by an earlier attempt of this plan
        }

        var bits = stored is { Value: var previous } ? StatusList.Decode(previous.Lst, 1) : new StatusList(ListCapacity);
        var changed = new StatusList(ListCapacity, bits.Bits);
        var count = 0;
        foreach (var revocation in plan.Revocations.Where(r => r.Family == family && r.GlobalIndex / ListCapacity == number).OrderBy(r => r.GlobalIndex))
        {
            var index = (int)(revocation.GlobalIndex % ListCapacity);
            bits[index] = StatusList.Invalid;
            changed[index] = StatusList.Invalid;
            count++;
        }

        var uri = StatusListUri(_options.PublicBaseUrl, family, number);
        var lst = bits.Encode();
        var jwt = await StatusListTokenWriter.WriteAsync(issuer, uri, lst, bits.Bits, plan.Epoch, plan.At, cancellationToken).ConfigureAwait(false);
        var row = new StatusListRow(family, (int)number, uri, plan.Epoch, lst, jwt, plan.At, plan.Key, LogEntries.Revocation(uri, plan.Epoch, jwt, changed, count), -1);
        var written = stored is { ETag: var etag }
            ? await _records.TryReplaceAsync(RecordTables.StatusLists, family, ListRow(number), row, etag, PublishingJson.Default.StatusListRow, cancellationToken).ConfigureAwait(false)
            : await _records.TryCreateAsync(RecordTables.StatusLists, family, ListRow(number), row, PublishingJson.Default.StatusListRow, cancellationToken).ConfigureAwait(false);
        return written
            ? row
            : throw new InvalidOperationException($"Status list {family}/{number} changed while publication {plan.Key} was writing it; retry.");
    }

    private async Task UpdateFamiliesAsync(PublicationPlan plan, CancellationToken cancellationToken)
    {
        var families = plan.Issues.Select(i => i.Family).Concat(plan.Revocations.Select(r => r.Family)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var family in families)
        {
            var stored = await _records.GetAsync(RecordTables.Families, FamilyPartition, family, PublishingJson.Default.FamilyRow, cancellationToken).ConfigureAwait(false);
            if (stored is { Value: var done } && string.Equals(done.LastPlanKey, plan.Key, StringComparison.Ordinal))
            {
                continue;
            }

            var current = (await _records.QueryAllAsync(RecordTables.Catalog, family, cancellationToken).ConfigureAwait(false)).Count;
            var previous = stored?.Value.Summary;
            var summary = new FamilySummary(
                family,
                current,
                (previous?.RevokedTokens ?? 0) + plan.Revocations.Count(r => r.Family == family),
                plan.BuildId ?? previous?.LatestBuildId,
                plan.At);
            await _records.UpsertAsync(RecordTables.Families, FamilyPartition, family, new FamilyRow(summary, plan.Key), PublishingJson.Default.FamilyRow, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CompleteAsync(PublicationPlan plan, LogAppender log, CancellationToken cancellationToken)
    {
        if (plan.BuildId is not null)
        {
            var size = await log.SizeAsync(cancellationToken).ConfigureAwait(false);
            var publication = new Publication(plan.BuildId, plan.At, plan.Issues.Count, plan.Revocations.Count, plan.Unchanged, size, plan.Epoch);
            await _records.TryCreateAsync(RecordTables.Publications, PublicationPartition, plan.Key, publication, PublishingJson.Default.Publication, cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; attempt < MaxAdoptAttempts; attempt++)
        {
            var (head, etag) = await ReadHeadAsync(_records, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(head.InProgress, plan.Key, StringComparison.Ordinal))
            {
                return; // completed by a concurrent delivery
            }

            var done = head with
            {
                InProgress = null, PlanPath = null, LatestPublication = plan.BuildId is null ? head.LatestPublication : plan.Key, CompleteEpoch = head.Epoch,
            };
            if (await WriteHeadAsync(done, etag, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        throw new InvalidOperationException($"The registry head kept changing; publication {plan.Key} could not be completed.");
    }
}
