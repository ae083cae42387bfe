using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests;

/// <summary>
/// Issues 5, 6 and 7 end to end on the real app through the local runner: simulator → syncs → ingest → snapshots →
/// compile → QA → publish; a scripted upstream change revokes exactly the affected tokens; an injected nondeterminism
/// freezes publication until an operator clears it. Proofs from the API are checked by the operator CLI as a process.
/// One scenario: each phase builds on the state the previous one left.
/// </summary>
public sealed class PipelineEndToEndTests(SuiteRunner suite) : IClassFixture<SuiteRunner>, IDisposable
{
    private static readonly string[] Syncs = ["tga-sync", "cricos-sync", "teqsa-sync", "sanctions-sync", "osl-sync", "ivi-sync", "abs-sync"];
    private static readonly string[] PipelineFunctions = ["tga-ingest", "compile", "qa", "publish", "stats-cache"];
    private static readonly TimeSpan SettleTimeout = PipelineProbe.SettleTimeout;
    private readonly string _files = Directory.CreateTempSubdirectory("rtgf-e2e-").FullName;
    private readonly PipelineProbe _probe = new(suite);

    [Fact]
    public async Task Pipeline_IngestChangeAndNondeterminism_PublishesRevokesAndFreezes()
    {
        var first = await IngestAndPublishAsync();
        var second = await ScriptedChangeAsync(first);
        await InjectedNondeterminismAsync(second);
    }

    // Phase 1: every sync, the queue stages settle, the APIs serve verifiable tokens and proofs.
    private async Task<Checkpoint> IngestAndPublishAsync()
    {
        var since = suite.EventCount;
        foreach (var sync in Syncs)
        {
            var run = await suite.RunFunctionAsync(sync);
            Assert.True(run.Succeeded, $"phase 1: {sync} failed: {run}{Recent()}");
        }

        await SettleAsync(since, "phase 1 (first ingest and publication)");
        foreach (var function in PipelineFunctions)
        {
            Assert.True(Invocations(function, since).Any(e => (string?)e["outcome"] == "succeeded"), $"phase 1: no {function} invocation succeeded{Recent()}");
        }

        var status = await GetJsonAsync("ops/sync-status");
        var sources = status["sources"]!.AsArray().ToDictionary(s => (string)s!["source"]!, s => s!.AsObject(), StringComparer.Ordinal);
        foreach (var source in new[] { "tga", "cricos", "teqsa", "sanctions", "osl", "ivi", "abs" })
        {
            Assert.True(sources.TryGetValue(source, out var s), $"phase 1: /ops/sync-status has no '{source}': {status.ToJsonString()}");
            Assert.True(s!["lastSuccessAt"] is not null, $"phase 1: {source} shows no last success: {s.ToJsonString()}");
            Assert.True(s["latestSnapshotDigest"] is not null, $"phase 1: {source} shows no snapshot: {s.ToJsonString()}");
        }

        Assert.False(string.IsNullOrEmpty((string?)sources["tga"]["watermark"]), $"phase 1: TGA has no watermark: {sources["tga"].ToJsonString()}");
        Assert.False((bool)status["freeze"]!["isFrozen"]!, "phase 1: publication is frozen: " + status["freeze"]!.ToJsonString());

        var catalog = await GetJsonAsync("catalog");
        var families = catalog["families"]!.AsArray().ToDictionary(f => (string)f!["family"]!, f => (long)f!["currentTokens"]!, StringComparer.Ordinal);
        foreach (var family in new[] { "rto-registration", "training-component", "cricos-course", "sanctions-screen", "occupation-shortage" })
        {
            Assert.True(families.TryGetValue(family, out var count) && count > 0, $"phase 1: /catalog has no tokens of {family}: {catalog.ToJsonString()}");
        }

        var simulated = await GetJsonAsync(suite.Simulator, "_sim/status");
        var rtos = (int)simulated["counts"]!["rtos"]!;
        Assert.Equal(rtos, families["rto-registration"]);
        Assert.Equal(2 * (int)simulated["counts"]!["occupations"]!, families["occupation-shortage"]); // the ANZSCO and the OSCA sheet
        Assert.Equal(families["rto-registration"], families["sanctions-screen"]);

        // An RTO the simulator serves, through the registry, the verifier and the log.
        var registrations = await ListFamilyAsync("rto-registration");
        var subject = registrations.Keys.Order(StringComparer.Ordinal).First();
        Assert.StartsWith("rto:", subject, StringComparison.Ordinal);
        var token = await LatestTokenAsync(subject, "rto-registration");
        Assert.Equal(registrations[subject], (string)token["tokenId"]!);
        var verdict = await VerifyAsync((string)token["jws"]!);
        Assert.True((bool)verdict["valid"]!, $"phase 1: {subject}'s token does not verify: {verdict.ToJsonString()}");

        var checkpoint = await ReadCheckpointAsync();
        var proof = token["inclusionProof"] as JsonObject ?? throw new InvalidOperationException($"phase 1: GET /tokens/{token["tokenId"]} has no inclusion proof: {token.ToJsonString()}");
        await VerifyTokenInclusionWithCliAsync(token, proof, "phase 1");

        // The server checks the same proof when asked to.
        var proved = await VerifyAsync((string)token["jws"]!, new JsonObject { ["checkpoint"] = (string)proof["checkpoint"]!, ["proof"] = new JsonObject { ["logIndex"] = (long)token["logIndex"]! } });
        Assert.True((bool)proved["valid"]! && (bool)proved["proof"]!["included"]!, $"phase 1: /verify with a proof: {proved.ToJsonString()}");
        await LabourMarketAsync();
        return checkpoint;
    }

    // Phase 1, the labour market: the simulator's qualifications carry ANZSCO classifications (TGA), the Occupation Shortage
    // List rates their occupations (JSA), so the register links them, with occupation tokens that verify, vacancy series and
    // ABS series, and the publication's statistics aggregate all three.
    private async Task LabourMarketAsync()
    {
        // The register follows the latest publication within its refresh interval (10 s), so it may still serve the build
        // compiled before the labour-market sources were synced.
        var inShortage = await Eventually.ProbeAsync(
            () => GetJsonAsync("v1/occupations?state=NSW&rating=shortage&limit=500"),
            page => page["items"]!.AsArray().Any(o => o!["token"] is JsonObject),
            TimeSpan.FromSeconds(60),
            "phase 1: the register to serve the occupations of a publication that read the Occupation Shortage List");
        var occupations = inShortage["items"]!.AsArray().Select(o => o!.AsObject()).ToList();
        Assert.True(occupations.Count > 0, $"phase 1: no occupation in shortage in NSW: {inShortage.ToJsonString()}");
        Assert.All(occupations, o => Assert.Contains((string?)o["states"]!["NSW"], new[] { "S", "R", "M" }));
        var linked = occupations.First(o => o["token"] is JsonObject);
        var occupationToken = await GetJsonAsync("tokens/" + (string)linked["token"]!["id"]!);
        Assert.Equal((string)linked["code"]!, (string)Facts(occupationToken)["code"]!);
        var occupationVerdict = await VerifyAsync((string)occupationToken["jws"]!);
        Assert.True((bool)occupationVerdict["valid"]!, $"phase 1: an occupation token does not verify: {occupationVerdict.ToJsonString()}");

        // "Qualifications leading to occupations in shortage in NSW": each leads to an occupation rated S, R or M there.
        var qualifications = await GetJsonAsync("v1/components?shortageIn=NSW&limit=500");
        var codes = qualifications["items"]!.AsArray().Select(c => (string)c!["code"]!).ToList();
        Assert.True(codes.Count > 0, $"phase 1: no component leads to a shortage in NSW: {qualifications.ToJsonString()}");
        foreach (var code in codes.Take(5))
        {
            var leadsTo = (await GetJsonAsync($"v1/components/{code}/occupations"))["items"]!.AsArray();
            Assert.Contains(leadsTo, o => (string?)o!["states"]!["NSW"] is "S" or "R" or "M");
        }

        var detail = await GetJsonAsync("v1/occupations/" + (string)linked["code"]!);
        Assert.NotEmpty(detail["vacancies"]!.AsArray());
        var vacancies = await GetJsonAsync("v1/occupations/" + (string)linked["code"]! + "/vacancies?state=NSW");
        Assert.NotEmpty(vacancies["points"]!.AsArray());
        var series = await GetJsonAsync("v1/labour-series?state=NSW");
        Assert.NotEmpty(series["items"]!.AsArray());

        var stats = await GetJsonAsync("v1/stats");
        foreach (var part in new[] { "shortages", "vacancies", "labour" })
        {
            Assert.True(stats[part] is JsonObject, $"phase 1: /v1/stats has no {part}: {stats.ToJsonString()}");
        }
    }

    // Phase 2: an RTO cancelled and a scope item removed upstream; the next run revokes exactly their registrations.
    private async Task<Checkpoint> ScriptedChangeAsync(Checkpoint before)
    {
        var epochBefore = (long)(await GetJsonAsync("revocations"))["epoch"]!;
        var tokensBefore = await ListAllAsync();
        var cancelled = (string)(await suite.ApplyScenarioAsync("rto-cancelled"))["applied"]![0]!["code"]!;
        var removed = (await suite.ApplyScenarioAsync("scope-removed"))["applied"]![0]!.AsObject();
        var scoped = (string)removed["rtoCode"]!;
        var component = (string)removed["componentCode"]!;
        Assert.NotEqual(cancelled, scoped);
        var cancelledToken = await LatestTokenAsync("rto:" + cancelled, "rto-registration");
        var scopedToken = await LatestTokenAsync("rto:" + scoped, "rto-registration");
        Assert.Contains(Facts(scopedToken)["scope"]!["items"]!.AsArray(), i => (string?)i!["component"] == component && i["end"] is null);

        await PassTimeUpstreamAsync();
        var since = suite.EventCount;
        var sync = await suite.RunFunctionAsync("tga-sync");
        Assert.True(sync.Succeeded, $"phase 2: tga-sync failed: {sync}{Recent()}");
        await SettleAsync(since, "phase 2 (the scripted change)");

        var revocations = await GetJsonAsync("revocations?since=" + epochBefore.ToString(CultureInfo.InvariantCulture));
        var epoch = (long)revocations["epoch"]!;
        Assert.True(epoch > epochBefore, $"phase 2: revEpoch did not move from {epochBefore}: {revocations.ToJsonString()}");
        var records = revocations["changes"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var tokensAfter = await ListAllAsync();
        var changed = tokensBefore.Where(t => !tokensAfter.TryGetValue(t.Key, out var id) || id != t.Value).Select(t => t.Key)
            .OrderBy(k => k.Family, StringComparer.Ordinal).ThenBy(k => k.Subject, StringComparer.Ordinal).ToList();
        var expected = new[] { ("rto-registration", "rto:" + cancelled), ("rto-registration", "rto:" + scoped) }.OrderBy(k => k.Item2, StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(changed), $"phase 2: the tokens that changed are [{string.Join(", ", changed)}], expected exactly [{string.Join(", ", expected)}]");
        Assert.Equal(tokensBefore.Count, tokensAfter.Count);
        Assert.Equal(
            changed.Select(k => tokensBefore[k]).Order(StringComparer.Ordinal).ToList(),
            records.Select(r => (string)r["tokenId"]!).Order(StringComparer.Ordinal).ToList());
        Assert.All(records, r =>
        {
            Assert.Equal("automatic", (string?)r["kind"]);
            Assert.Equal(tokensAfter[((string)r["family"]!, (string)r["subject"]!)], (string?)r["replacedBy"]);
            Assert.True((long)r["epoch"]! > epochBefore && (long)r["epoch"]! <= epoch, r.ToJsonString());
        });

        // The old token now verifies as revoked, with the reason; its replacement (status cancelled) verifies. The verifier keeps a
        // status list for up to its max-age (5 s, docs/spec/api.md), so the revocation shows within that, not necessarily at once.
        var old = await Eventually.ProbeAsync(
            () => VerifyAsync((string)cancelledToken["jws"]!), v => !(bool)v["valid"]!, TimeSpan.FromSeconds(15), "phase 2: the revocation to reach /verify");
        var record = records.Single(r => (string?)r["tokenId"] == (string?)cancelledToken["tokenId"]);
        Assert.False((bool)old["valid"]!, old.ToJsonString());
        Assert.Contains(old["reasons"]!.AsArray(), r => (string?)r!["code"] == "revoked");
        Assert.Equal(("automatic", "facts changed"), ((string?)record["kind"], (string?)record["reason"]));
        Assert.True(old["revocation"] is JsonObject detail && (string?)detail["reason"] == "facts changed" && (string?)detail["replacedBy"] == (string?)record["replacedBy"], "phase 2: the revoked verdict names the reason and replacement: " + old.ToJsonString());
        var replacement = await LatestTokenAsync("rto:" + cancelled, "rto-registration");
        Assert.Equal((string?)record["replacedBy"], (string?)replacement["tokenId"]);
        // The cancellation shows as TGA's own status (read from the versioned organisation service), and as the registration
        // and every scope row ending on the cancellation day.
        var facts = Facts(replacement);
        Assert.Equal("Cancelled", (string?)facts["status"]);
        Assert.NotEqual("Cancelled", (string?)Facts(cancelledToken)["status"]);
        Assert.True((string?)facts["registration_end"] is { } end && facts["scope"]!["items"]!.AsArray().All(i => (string?)i!["end"] == end), "phase 2: the replacement's facts: " + facts.ToJsonString());
        var fresh = await VerifyAsync((string)replacement["jws"]!);
        Assert.True((bool)fresh["valid"]!, $"phase 2: the replacement does not verify: {fresh.ToJsonString()}");
        var rescoped = await LatestTokenAsync("rto:" + scoped, "rto-registration");
        Assert.DoesNotContain(Facts(rescoped)["scope"]!["items"]!.AsArray(), i => (string?)i!["component"] == component && i["end"] is null);
        Assert.False((bool)(await VerifyAsync((string)scopedToken["jws"]!))["valid"]!);

        // The log holds every step: the replacements' token entries and the status list's revocation entry.
        var after = await ReadCheckpointAsync();
        Assert.True(after.Size > before.Size, $"phase 2: the log did not grow ({before.Size} → {after.Size})");
        var entries = await ReadEntriesAsync(before.Size, after.Size, after.Size);
        var tokenDigests = entries.Where(e => (string?)e["type"] == "token").Select(e => (string?)e["tokenDigest"]).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(Digest((string)replacement["jws"]!), tokenDigests);
        Assert.Contains(Digest((string)rescoped["jws"]!), tokenDigests);
        Assert.Equal(2, tokenDigests.Count);
        Assert.Contains(entries, e => (string?)e["type"] == "revocation" && (long?)e["revEpoch"] == epoch);
        Assert.All(records, r => Assert.InRange((long)r["logIndex"]!, before.Size, after.Size - 1));
        await VerifyTokenInclusionWithCliAsync(replacement, replacement["inclusionProof"]!.AsObject(), "phase 2");
        await VerifyConsistencyWithCliAsync(before, after, "phase 2");
        return after;
    }

    // Phase 3: a build whose stored manifest is not what its inputs compile to (what a nondeterministic compile stores).
    private async Task InjectedNondeterminismAsync(Checkpoint before)
    {
        var latest = (string)(await GetJsonAsync("catalog"))["latestPublication"]!["buildId"]!;
        var forged = await StoreForgedBuildAsync(latest);

        var since = suite.EventCount;
        var qa = await suite.RunFunctionAsync("qa", new JsonObject { ["buildId"] = forged }.ToJsonString());
        Assert.True(qa.Succeeded, $"phase 3: qa on the forged build failed instead of freezing: {qa}{Recent()}");
        var logged = await suite.WaitForAsync(e => e.ToJsonString().Contains("RTGF_PIPELINE_DETERMINISM_FAIL", StringComparison.Ordinal), "RTGF_PIPELINE_DETERMINISM_FAIL in the worker's log", since: since);
        Assert.Contains(forged, logged.ToJsonString(), StringComparison.Ordinal);
        var frozen = await GetJsonAsync("ops/freeze");
        Assert.True((bool)frozen["isFrozen"]!, frozen.ToJsonString());
        Assert.Equal(forged, (string?)frozen["buildId"]);
        Assert.Contains("RTGF_PIPELINE_DETERMINISM_FAIL", (string)frozen["reason"]!, StringComparison.Ordinal);
        var watchtower = await GetJsonAsync("ops/sync-status");
        Assert.True((bool)watchtower["freeze"]!["isFrozen"]!, "phase 3: /ops/sync-status does not show the freeze: " + watchtower.ToJsonString());

        // A real change arrives while frozen: compile and QA pass, every publish path refuses.
        var superseded = (string)(await suite.ApplyScenarioAsync("qualification-superseded"))["applied"]![0]!["code"]!;
        var componentBefore = await LatestTokenAsync("tc:" + superseded, "training-component");
        await PassTimeUpstreamAsync();
        since = suite.EventCount;
        var sync = await suite.RunFunctionAsync("tga-sync");
        Assert.True(sync.Succeeded, $"phase 3: tga-sync failed: {sync}{Recent()}");
        var refused = await suite.WaitForAsync(e => Is(e, "publish") && (string?)e["outcome"] == "failed", "the queued publish to be refused while frozen", SettleTimeout, since);
        // The function fails; the worker's log (or the invocation's error line) carries the cause.
        await suite.WaitForAsync(NamesTheFreeze, "the worker's log to name the freeze", since: since);
        Assert.Contains(Invocations("qa", since), e => (string?)e["outcome"] == "succeeded");

        // Refused on every delivery, the message is dead-lettered with the build it carries (re-run after clearing).
        await suite.WaitForAsync(e => (string?)e["event"] == "poison" && (string?)e["function"] == "publish", "the refused publish message to be dead-lettered", SettleTimeout, since);
        var deadLetters = (await suite.Queue("rtgf-publish-poison").PeekMessagesAsync(32)).Value;
        var build = (string)JsonNode.Parse(Assert.Single(deadLetters).MessageText)!["buildId"]!;
        Assert.NotEqual(forged, build);
        Assert.Contains(suite.Events.Events.Skip(since), e => (string?)e["event"] == "log" && ((string?)e["message"] ?? string.Empty).Contains($"Build {build} passed QA", StringComparison.Ordinal));
        var manual = await suite.RunFunctionAsync("publish", new JsonObject { ["buildId"] = build }.ToJsonString());
        Assert.False(manual.Succeeded, $"phase 3: publish ran while frozen: {manual}");
        Assert.Contains(suite.Events.Events.Skip(since), NamesTheFreeze);
        using (var revoke = await suite.Http.PostAsJsonAsync("ops/revocations", new JsonObject { ["tokenId"] = (string)componentBefore["tokenId"]!, ["reason"] = "e2e: must be refused" }))
        {
            var body = await revoke.Content.ReadAsStringAsync();
            Assert.True(revoke.StatusCode == HttpStatusCode.Conflict && body.Contains("urn:rtgf:problem:publication-frozen", StringComparison.Ordinal), $"phase 3: manual revocation while frozen: {(int)revoke.StatusCode} {body}");
        }

        Assert.Equal((string?)componentBefore["tokenId"], (string?)(await LatestTokenAsync("tc:" + superseded, "training-component"))["tokenId"]);
        Assert.Equal(before.Size, (await ReadCheckpointAsync()).Size);

        // The operator clears it with a reason; the clearing is the log's newest operator-action entry.
        const string reason = "e2e: forged manifest, not a compiler fault";
        using (var clear = await suite.Http.PostAsJsonAsync("ops/freeze/clear", new JsonObject { ["reason"] = reason }))
        {
            var body = await clear.Content.ReadAsStringAsync();
            Assert.True(clear.IsSuccessStatusCode, $"phase 3: /ops/freeze/clear: {(int)clear.StatusCode} {body}");
            var cleared = JsonNode.Parse(body)!.AsObject();
            Assert.Equal((false, reason), ((bool)cleared["isFrozen"]!, (string?)cleared["clearReason"]));
        }

        var afterClear = await ReadCheckpointAsync();
        Assert.Equal(before.Size + 1, afterClear.Size);
        var action = (await ReadEntriesAsync(before.Size, afterClear.Size, afterClear.Size)).Single();
        Assert.Equal(("operator-action", "clear-publication-freeze", forged, reason), ((string?)action["type"], (string?)action["action"], (string?)action["target"], (string?)action["reason"]));

        // Publication proceeds: the refused build publishes (the retried message or this run, idempotently).
        since = suite.EventCount;
        var published = await suite.RunFunctionAsync("publish", new JsonObject { ["buildId"] = build }.ToJsonString());
        Assert.True(published.Succeeded, $"phase 3: publish after clearing: {published}{Recent()}");
        await SettleAsync(since, "phase 3 (after clearing)", requirePublish: false, allowDeadLetters: true);
        Assert.Equal(build, (string?)(await GetJsonAsync("catalog"))["latestPublication"]!["buildId"]);
        var componentAfter = await LatestTokenAsync("tc:" + superseded, "training-component");
        Assert.NotEqual((string?)componentBefore["tokenId"], (string?)componentAfter["tokenId"]);
        var fresh = await VerifyAsync((string)componentAfter["jws"]!);
        Assert.True((bool)fresh["valid"]!, "phase 3: the token published after clearing does not verify: " + fresh.ToJsonString());
        var old = await VerifyAsync((string)componentBefore["jws"]!);
        Assert.Contains(old["reasons"]!.AsArray(), r => (string?)r!["code"] == "revoked");
        await VerifyConsistencyWithCliAsync(before, await ReadCheckpointAsync(), "phase 3");
    }

    /// <summary>
    /// Stores, beside a real build, a build with the same inputs whose manifest differs in one output digest: exactly what
    /// the builds store would hold had compile been nondeterministic. The id is its manifest's hash, so the store accepts it.
    /// </summary>
    private async Task<string> StoreForgedBuildAsync(string buildId)
    {
        var container = suite.Blobs.GetBlobContainerClient("rtgf-builds");
        var hex = buildId["sha256:".Length..];
        var manifest = Encoding.UTF8.GetString((await container.GetBlobClient(hex + "/manifest.json").DownloadContentAsync()).Value.Content.ToArray());
        var inputs = Encoding.UTF8.GetString((await container.GetBlobClient(hex + "/inputs.json").DownloadContentAsync()).Value.Content.ToArray());
        var at = manifest.LastIndexOf("sha256:", StringComparison.Ordinal) + "sha256:".Length;
        Assert.True(at > "sha256:".Length, "the manifest has no digest to alter: " + manifest);
        var forgedManifest = manifest[..at] + (manifest[at] == '0' ? '1' : '0') + manifest[(at + 1)..];
        var forgedHex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(forgedManifest)));
        Assert.Contains(buildId, inputs, StringComparison.Ordinal);
        await container.GetBlobClient(forgedHex + "/inputs.json").UploadAsync(BinaryData.FromString(inputs.Replace(hex, forgedHex, StringComparison.Ordinal)), overwrite: false);
        await container.GetBlobClient(forgedHex + "/manifest.json").UploadAsync(BinaryData.FromString(forgedManifest), overwrite: false);
        return "sha256:" + forgedHex;
    }

    /// <summary>
    /// A scenario stamps its last change with the simulator's current clock, and the TGA sync's window ends (exclusive) at
    /// the server time, so a sync at that very instant would leave the change to the next run. Upstream time passes
    /// before a real sync; so it does here.
    /// </summary>
    private async Task PassTimeUpstreamAsync()
    {
        using var response = await suite.Simulator.PostAsJsonAsync("_sim/clock", new JsonObject { ["advanceSeconds"] = 60 });
        Assert.True(response.IsSuccessStatusCode, $"POST /_sim/clock: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private Task SettleAsync(int since, string phase, bool requirePublish = true, bool allowDeadLetters = false) =>
        _probe.SettleAsync(since, phase, requirePublish, allowDeadLetters);

    private IEnumerable<JsonObject> Invocations(string function, int since) => _probe.Invocations(function, since);

    private static bool Is(JsonObject e, string function) => PipelineProbe.Is(e, function);

    private string Recent() => _probe.Recent();

    private Task<JsonObject> GetJsonAsync(string path) => _probe.GetJsonAsync(path);

    private Task<JsonObject> GetJsonAsync(HttpClient client, string path) => _probe.GetJsonAsync(client, path);

    /// <summary>The subject's latest token of the family as <c>GET /tokens/{id}</c> serves it (JWS and inclusion proof).</summary>
    private async Task<JsonObject> LatestTokenAsync(string subject, string family)
    {
        var latest = await GetJsonAsync($"tokens?subject={Uri.EscapeDataString(subject)}&family={family}");
        var summary = latest["tokens"]!.AsArray().SingleOrDefault() ?? throw new InvalidOperationException($"no {family} token for {subject}: {latest.ToJsonString()}");
        return await GetJsonAsync("tokens/" + (string)summary["tokenId"]!);
    }

    private async Task<Dictionary<string, string>> ListFamilyAsync(string family)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync($"catalog/{family}?limit=500" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
            foreach (var item in page["items"]!.AsArray())
            {
                tokens.Add((string)item!["subject"]!, (string)item["tokenId"]!);
            }

            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);
        return tokens;
    }

    private async Task<Dictionary<(string Family, string Subject), string>> ListAllAsync()
    {
        var all = new Dictionary<(string, string), string>();
        foreach (var family in (await GetJsonAsync("catalog"))["families"]!.AsArray().Select(f => (string)f!["family"]!))
        {
            foreach (var (subject, id) in await ListFamilyAsync(family))
            {
                all.Add((family, subject), id);
            }
        }

        return all;
    }

    private async Task<JsonObject> VerifyAsync(string jws, JsonObject? more = null)
    {
        var body = more ?? [];
        body["token"] = jws;

        // At our own time: tokens are dated by our clock, even though scripted changes move the upstream clock ahead of ours.

        using var response = await suite.Http.PostAsJsonAsync("verify", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /verify: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static JsonObject Facts(JsonObject token)
    {
        var payload = ((string)token["jws"]!).Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(payload))!["facts"]!.AsObject();
    }

    private static string Digest(string jws) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(jws)));

    private async Task<Checkpoint> ReadCheckpointAsync()
    {
        var note = await suite.Http.GetStringAsync(new Uri("log/checkpoint", UriKind.Relative));
        var lines = note.Split('\n');
        return new Checkpoint(long.Parse(lines[1], CultureInfo.InvariantCulture), lines[2], note);
    }

    /// <summary>Entries [from, to) from the C2SP entry bundles of a tree of size <paramref name="size"/>.</summary>
    private async Task<List<JsonObject>> ReadEntriesAsync(long from, long to, long size)
    {
        var entries = new List<JsonObject>();
        for (var tile = from / 256; tile * 256 < to; tile++)
        {
            var bundle = await ReadBundleAsync(tile, size);
            for (var i = 0; i < bundle.Count; i++)
            {
                var index = (tile * 256) + i;
                if (index >= from && index < to)
                {
                    entries.Add(JsonNode.Parse(bundle[i])!.AsObject());
                }
            }
        }

        return entries;
    }

    private async Task<List<byte[]>> ReadBundleAsync(long tile, long size)
    {
        var width = Math.Min(256, size - (tile * 256));
        var path = "log/tile/entries/" + TileIndex(tile) + (width < 256 ? ".p/" + width.ToString(CultureInfo.InvariantCulture) : string.Empty);
        var bytes = await suite.Http.GetByteArrayAsync(new Uri(path, UriKind.Relative));
        var entries = new List<byte[]>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at));
            entries.Add(bytes.AsSpan(at + 2, length).ToArray());
            at += 2 + length;
        }

        Assert.Equal(width, entries.Count);
        return entries;
    }

    private static string TileIndex(long n)
    {
        var digits = n.ToString(CultureInfo.InvariantCulture);
        digits = digits.PadLeft((digits.Length + 2) / 3 * 3, '0');
        var groups = Enumerable.Range(0, digits.Length / 3).Select(g => digits.Substring(g * 3, 3)).ToList();
        return string.Join('/', groups.Select((g, i) => i < groups.Count - 1 ? "x" + g : g));
    }

    // The API's proof for a token, checked by the operator CLI twice: against the live log, and offline from the proof alone.
    private async Task VerifyTokenInclusionWithCliAsync(JsonObject token, JsonObject proof, string phase)
    {
        var index = (long)token["logIndex"]!;
        var size = (long)proof["treeSize"]!;
        var entry = (await ReadEntriesAsync(index, index + 1, size)).Single();
        Assert.Equal(("token", Digest((string)token["jws"]!)), ((string?)entry["type"], (string?)entry["tokenDigest"]));
        var entryBytes = (await ReadBundleAsync(index / 256, size))[(int)(index % 256)];
        var entryFile = await WriteTempAsync(entryBytes);
        var proofFile = await WriteTempAsync(Encoding.UTF8.GetBytes(proof["hashes"]!.ToJsonString()));
        var i = index.ToString(CultureInfo.InvariantCulture);
        await RunCliAsync(phase, "log", "verify-inclusion", "--log", LogUrl, "--key", await LogKeyAsync(), "--index", i, "--entry", "@" + entryFile);
        await RunCliAsync(phase, "log", "verify-inclusion", "--index", i, "--entry", "@" + entryFile, "--proof", "@" + proofFile,
            "--root", (string)proof["rootHash"]!, "--size", size.ToString(CultureInfo.InvariantCulture));

        // And the CLI refuses the same proof for another entry (the check can fail).
        var other = await WriteTempAsync([.. entryBytes, (byte)' ']);
        var (code, _) = await RunCliRawAsync("log", "verify-inclusion", "--index", i, "--entry", "@" + other, "--proof", "@" + proofFile, "--root", (string)proof["rootHash"]!, "--size", size.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, code);
    }

    private async Task VerifyConsistencyWithCliAsync(Checkpoint older, Checkpoint newer, string phase)
    {
        var proof = await GetJsonAsync($"log/proofs/consistency?first={older.Size.ToString(CultureInfo.InvariantCulture)}&second={newer.Size.ToString(CultureInfo.InvariantCulture)}");
        Assert.Equal((older.Root, newer.Root), ((string?)proof["firstRoot"], (string?)proof["secondRoot"]));
        var proofFile = await WriteTempAsync(Encoding.UTF8.GetBytes(proof["hashes"]!.ToJsonString()));
        await RunCliAsync(phase, "log", "verify-consistency", "--old-size", older.Size.ToString(CultureInfo.InvariantCulture), "--old-root", older.Root,
            "--proof", "@" + proofFile, "--new-size", newer.Size.ToString(CultureInfo.InvariantCulture), "--new-root", newer.Root);
        await RunCliAsync(phase, "log", "verify-consistency", "--log", LogUrl, "--key", await LogKeyAsync(), "--old-size", older.Size.ToString(CultureInfo.InvariantCulture), "--old-root", older.Root);
    }

    private string LogUrl => new Uri(suite.HttpBaseUrl, "log").AbsoluteUri;

    private async Task<string> LogKeyAsync() => (string)(await GetJsonAsync(".well-known/rtgf"))["log"]!["publicKey"]!;

    private static async Task RunCliAsync(string phase, params string[] arguments)
    {
        var (code, output) = await RunCliRawAsync(arguments);
        Assert.True(code == 0, $"{phase}: rtgf {string.Join(' ', arguments)} exited {code}: {output}");
        Assert.StartsWith("valid", output.Trim(), StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunCliRawAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(BuildOutput.Directory("Rtgf.Cli"), "rtgf.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await error);
    }

    private async Task<string> WriteTempAsync(byte[] content)
    {
        var path = Path.Combine(_files, Convert.ToHexStringLower(SHA256.HashData(content)));
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_files, recursive: true);

    private sealed record Checkpoint(long Size, string Root, string Note);

    private static bool NamesTheFreeze(JsonObject e) =>
        (string?)e["event"] is "log" or "invocation" && e.ToJsonString().Contains("frozen", StringComparison.OrdinalIgnoreCase);
}
