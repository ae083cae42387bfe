using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Compiler;
using Rtgf.Ingestion;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>tga-ingest: the mirror, the snapshot and compile request at finalisation, idempotency, scripted changes, faults and poison.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TgaIngestWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task FullSync_AllBatches_PopulateTheMirror_AndTheLastCutsOneSnapshotWithACompileRequest()
    {
        var (sync, ingests) = await _h.RunTgaAsync();

        Assert.Equal(TgaIngestResult.Finalised, ingests[^1].Result);
        Assert.All(ingests[..^1], i => Assert.Equal(TgaIngestResult.Committed, i.Result));
        var compile = Assert.Single(ingests, i => i.Compile is not null).Compile!;
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tga))!;
        Assert.Equal(new CompileRequest(IngestSources.Tga, snapshot.Manifest.Digest, sync.Run.RunId), compile);
        Assert.Equal(sync.Run.StartedAt, snapshot.Manifest.FetchedAt); // our clock; TGA's is provenance
        Assert.All(snapshot.Manifest.Provenance, p => Assert.Equal(sync.Run.ServerTime, p.ServerTime));

        var components = await _h.RowsAsync(IngestTables.TgaComponents);
        var organisations = await _h.RowsAsync(IngestTables.TgaOrganisations);
        var scope = (await _h.RowsAsync(IngestTables.TgaScope)).Values.SelectMany(TgaMirror.ScopeRecordsOf).ToList();
        var releases = await _h.RowsAsync(IngestTables.TgaReleases);
        Assert.Equal(Codes(sync, TgaBatchKind.Components).Union(Codes(sync, TgaBatchKind.DeletedComponents)).Order(StringComparer.Ordinal), components.Values.Select(r => r.PartitionKey).Order(StringComparer.Ordinal));
        Assert.Equal(Codes(sync, TgaBatchKind.Organisations).Union(Codes(sync, TgaBatchKind.DeletedOrganisations)).Order(StringComparer.Ordinal), organisations.Values.Select(r => r.PartitionKey).Order(StringComparer.Ordinal));
        Assert.NotEmpty(scope);
        Assert.NotEmpty(releases);
        Assert.Contains(components.Values, r => r.Deleted == false && r.Json.Contains("\"releases\":[{", StringComparison.Ordinal));
        Assert.Equal(components.Count + organisations.Count + scope.Count, snapshot.Manifest.RecordCount);
        var lines = Encoding.UTF8.GetString(snapshot.Records.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        Assert.All(components.Values.Concat(organisations.Values).Select(r => r.Json).Concat(scope.Select(r => r.Json)), json => Assert.Contains(json, lines));
        Assert.Equal(scope.Count, scope.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.All(scope, r => Assert.StartsWith("scope:", r.Key, StringComparison.Ordinal));

        var run = (await _h.Runs.GetAsync(IngestSources.Tga, sync.Run.RunId))!.Value.Run;
        Assert.Equal(IngestRunStatus.Succeeded, run.Status);
        Assert.Equal(snapshot.Manifest.Digest, run.SnapshotDigest);
        Assert.Equal(sync.Batches.Sum(b => b.Items.Count), run.Records);
        Assert.True(run.Changed >= components.Count + organisations.Count + scope.Count, $"changed {run.Changed}");
        Assert.Contains(run.StepList, s => s.Name == "write-snapshot" && s.Count == 1);
        var state = await _h.States.GetAsync(IngestSources.Tga);
        Assert.Equal(sync.Run.ServerTime, state.Watermark);
        Assert.Equal(snapshot.Manifest.Digest, state.SnapshotDigest);
        Assert.Contains($"tga/{sync.Run.RunId}/batch-0001.TrainingComponentService.GetDetails-1.xml", await _h.RawNamesAsync($"tga/{sync.Run.RunId}/batch-0001."));
    }

    [Fact]
    public async Task FullSync_UpstreamClockAheadOfOurs_SnapshotIsDatedByOurClock_ServerTimeKeptAsProvenanceAndWatermark()
    {
        // The simulator's clock runs a day ahead of the pipeline's (it runs ahead after scripted changes).
        var upstream = _h.Time.GetUtcNow() + TimeSpan.FromDays(1);
        await _h.PostAdminAsync("_sim/clock", new JsonObject { ["set"] = upstream.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) });

        var (sync, _) = await _h.RunTgaAsync();

        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tga))!;
        Assert.True(sync.Run.ServerTime >= sync.Run.StartedAt + TimeSpan.FromHours(23), $"upstream {sync.Run.ServerTime:O}, ours {sync.Run.StartedAt:O}");
        Assert.Equal(sync.Run.StartedAt, snapshot.Manifest.FetchedAt);
        Assert.True(snapshot.Manifest.FetchedAt <= _h.Time.GetUtcNow(), "a snapshot (and so its tokens' iat/nbf) is never dated ahead of our clock");
        Assert.All(snapshot.Manifest.Provenance, p => Assert.Equal(sync.Run.ServerTime, p.ServerTime));
        Assert.Equal(sync.Run.ServerTime, (await _h.States.GetAsync(IngestSources.Tga)).Watermark);
    }

    [Fact]
    public async Task DuplicateAndOutOfOrderBatches_ChangeNothing_WatermarkWaitsForTheLast_AndOnlyOneFinalises()
    {
        _h.NextRun();
        var sync = await _h.TgaSync.RunAsync(IngestTrigger.Manual);
        var batches = sync.Batches;

        // Every batch but the first, newest first, then the second again.
        foreach (var batch in batches.Skip(1).Reverse())
        {
            Assert.Equal(TgaIngestResult.Committed, (await _h.TgaIngest.RunAsync(IngestHarness.Body(batch), "a")).Result);
        }

        var before = await AllRowsAsync();
        Assert.Equal(TgaIngestResult.Committed, (await _h.TgaIngest.RunAsync(IngestHarness.Body(batches[1]), "dup")).Result);
        Assert.Equal(before, await AllRowsAsync());
        Assert.Null((await _h.States.GetAsync(IngestSources.Tga)).Watermark); // batch 1 is still pending
        Assert.Null(await _h.Snapshots.GetLatestAsync(IngestSources.Tga));

        // The last batch delivered twice at once: one finalises, the other finds the run claimed or closed.
        var body = IngestHarness.Body(batches[0]);
        var both = await Task.WhenAll(_h.TgaIngest.RunAsync(body, "x"), _h.TgaIngest.RunAsync(body, "y"));
        Assert.Single(both, o => o.Result == TgaIngestResult.Finalised);
        Assert.Single(both, o => o.Compile is not null);
        Assert.Equal(sync.Run.ServerTime, (await _h.States.GetAsync(IngestSources.Tga)).Watermark);

        var after = await AllRowsAsync();
        var again = await _h.TgaIngest.RunAsync(body, "z");
        Assert.Equal(TgaIngestResult.RunClosed, again.Result);
        Assert.Null(again.Compile);
        Assert.Equal(after, await AllRowsAsync());
        Assert.Single(await _h.ManifestNamesAsync(IngestSources.Tga));
    }

    [Theory]
    [InlineData("rto-cancelled")]
    [InlineData("scope-removed")]
    [InlineData("qualification-superseded")]
    public async Task ScriptedChange_ShowsInTheMirrorAndTheNextSnapshot(string scenario)
    {
        await _h.RunTgaAsync();
        var first = (await _h.Snapshots.GetLatestAsync(IngestSources.Tga))!.Manifest.Digest;
        var applied = await _h.ScenarioAsync(scenario);

        var (sync, ingests) = await _h.RunTgaAsync();

        var compile = Assert.Single(ingests, i => i.Compile is not null).Compile!;
        Assert.NotEqual(first, compile.SnapshotDigest);
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tga))!;
        Assert.Equal(compile.SnapshotDigest, snapshot.Manifest.Digest);
        var lines = Encoding.UTF8.GetString(snapshot.Records.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var today = sync.Run.ServerTime!.Value.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        switch (scenario)
        {
            case "rto-cancelled":
            {
                var code = (string)applied["code"]!;
                var rto = (await _h.Mirror.Organisations.GetAsync(code, TgaMirror.ParentRowKey(code)))!.Row;
                var json = JsonNode.Parse(rto.Json)!;
                Assert.Equal(today, (string?)json["registrationEnd"]);
                Assert.Equal("Cancelled", (string?)json["status"]); // TGA's label, from the versioned organisation service
                Assert.NotEmpty(json["contacts"]!.AsArray());
                Assert.NotEmpty(json["locations"]!.AsArray());
                Assert.Equal(sync.Run.RunId, rto.RunId);
                Assert.Contains(rto.Json, lines);

                // ... and in the compiled rto-registration token's facts, which carry no contact data.
                var compiled = new TokenCompiler(PolicyMatrix.LoadDefault()).Compile([snapshot], "https://registry.rtgf.example");
                var token = Assert.Single(compiled.Tokens, t => t.Family == "rto-registration" && t.Subject == "rto:" + code);
                var facts = JsonNode.Parse(token.FactsJson)!;
                Assert.Equal("Cancelled", (string?)facts["status"]);
                Assert.Null(facts["contacts"]);
                Assert.DoesNotContain((string)json["contacts"]![0]!["email"]!, Encoding.UTF8.GetString(token.PayloadJson.Span), StringComparison.Ordinal);
                Assert.All(compiled.Tokens.Where(t => t.Family == "rto-registration"), t => Assert.NotNull((string?)JsonNode.Parse(t.FactsJson)!["status"]));
                break;
            }

            case "scope-removed":
            {
                var records = await _h.Mirror.ReadScopeAsync((string)applied["rtoCode"]!);
                var json = records[$"scope:{applied["rtoCode"]}:{applied["componentCode"]}"];
                Assert.Equal(today, (string?)JsonNode.Parse(json)!["endDate"]);
                Assert.Contains(json, lines);
                break;
            }

            default:
            {
                var code = (string)applied["code"]!;
                var row = (await _h.Mirror.Components.GetAsync(code, TgaMirror.ParentRowKey(code)))!.Row;
                var supersededBy = JsonNode.Parse(row.Json)!["supersededBy"]!.AsArray().Select(n => (string)n!).ToList();
                Assert.NotEmpty(supersededBy);
                Assert.NotNull(await _h.Mirror.Components.GetAsync(supersededBy[0], TgaMirror.ParentRowKey(supersededBy[0])));
                Assert.Contains(row.Json, lines);
                break;
            }
        }
    }

    [Fact]
    public async Task FullSync_Qualifications_SnapshotRecordsCarryTheirAnzscoOccupation_AndCompileUnchangedFacts()
    {
        await _h.RunTgaAsync();
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tga))!;
        var components = Encoding.UTF8.GetString(snapshot.Records.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(o => o.ContainsKey("releases"))
            .ToDictionary(o => (string)o["code"]!, StringComparer.Ordinal);
        var qualifications = components.Values
            .Where(c => c["componentTypes"]!.AsArray().Any(t => (string?)t == "Qualification") && (string?)c["status"] == "Current")
            .Select(c => (string)c["code"]!)
            .ToList();
        Assert.NotEmpty(qualifications);

        foreach (var code in qualifications)
        {
            // The simulator's world links every qualification to one occupation (scheme 01) beside its AQF level (05).
            var classifications = components[code]["classifications"]!.AsArray();
            var anzsco = Assert.Single(classifications, c => (string?)c!["scheme"] == "01")!;
            Assert.Matches("^[0-9]{6}$", (string?)anzsco["value"]);
            Assert.Equal("1", (string?)anzsco["purpose"]);
            Assert.Single(classifications, c => (string?)c!["scheme"] == "05");
            var row = (await _h.Mirror.Components.GetAsync(code, TgaMirror.ParentRowKey(code)))!.Row;
            Assert.StartsWith("{\"classifications\":[{\"purpose\":\"1\",\"scheme\":\"01\",\"value\":\"" + (string?)anzsco["value"] + "\"}", row.Json, StringComparison.Ordinal);
        }

        // Units have no classification: their records keep the shape they had before classifications were requested.
        Assert.Contains(components.Values, c => !c.ContainsKey("classifications"));

        // The compiler reads the new member and the training-component facts do not carry it.
        var compiled = new TokenCompiler(PolicyMatrix.LoadDefault()).Compile([snapshot], "https://registry.rtgf.example");
        var token = Assert.Single(compiled.Tokens, t => t.Family == "training-component" && t.Subject == "tc:" + qualifications[0]);
        Assert.DoesNotContain("classifications", token.FactsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedDetails_RecordsTheErrorOnTheRun_Throws_AndTheRedeliveryCompletesTheRun()
    {
        _h.NextRun();
        var sync = await _h.TgaSync.RunAsync(IngestTrigger.Manual);
        var first = sync.Batches[0];
        Assert.Equal(TgaBatchKind.Components, first.Kind);
        await _h.FaultAsync("/Deewr.Tga.WebServices/TrainingComponentService.svc", "malformed", count: 1);

        await Assert.ThrowsAsync<UpstreamFormatException>(() => _h.TgaIngest.RunAsync(IngestHarness.Body(first), "m1"));

        var run = (await _h.Runs.GetAsync(IngestSources.Tga, sync.Run.RunId))!.Value.Run;
        Assert.Equal(IngestRunStatus.Running, run.Status);
        Assert.StartsWith("batch 1 (components): UpstreamFormatException: ", run.Error, StringComparison.Ordinal);
        Assert.False((await _h.Ledger.GetAsync(sync.Run.RunId)).Single(b => b.Batch == 1).Done);
        Assert.Equal(run.Error, (await _h.States.GetAsync(IngestSources.Tga)).LastError);

        foreach (var batch in sync.Batches)
        {
            await _h.TgaIngest.RunAsync(IngestHarness.Body(batch), "m2");
        }

        var done = (await _h.Runs.GetAsync(IngestSources.Tga, sync.Run.RunId))!.Value.Run;
        Assert.Equal(IngestRunStatus.Succeeded, done.Status);
        Assert.Null(done.Error);
    }

    [Theory]
    [InlineData("not json at all", "not a TGA ingest batch")]
    [InlineData("{\"runId\":\"tga-x\",\"batch\":1,\"kind\":\"widgets\",\"items\":[{\"code\":\"A\"}]}", "kind 'widgets'")]
    [InlineData("{\"runId\":\"tga-20990101T000000Z\",\"batch\":1,\"kind\":\"components\",\"items\":[{\"code\":\"A\"}]}", "is not in the ingest-runs table")]
    [InlineData("{\"runId\":\"tga-x\",\"batch\":0,\"kind\":\"components\",\"items\":[]}", "not positive")]
    public async Task PoisonMessage_IsRecordedWithItsReason_AndCompleted(string body, string reason)
    {
        var outcome = await _h.TgaIngest.RunAsync(body, "poison-1");

        Assert.Equal(TgaIngestResult.Poison, outcome.Result);
        var letter = Assert.Single(await _h.DeadLetters.ListAsync(PipelineQueues.TgaIngest));
        Assert.Equal("poison-1", letter.MessageId);
        Assert.Contains(reason, letter.Reason, StringComparison.Ordinal);
        Assert.Equal(body, letter.BodyExcerpt);
    }

    private static IEnumerable<string> Codes(TgaSyncOutcome sync, string kind) =>
        sync.Batches.Where(b => b.Kind == kind).SelectMany(b => b.Items).Select(i => i.Code);

    private async Task<string> AllRowsAsync()
    {
        var text = new StringBuilder();
        foreach (var table in new[] { IngestTables.TgaComponents, IngestTables.TgaReleases, IngestTables.TgaOrganisations, IngestTables.TgaScope })
        {
            foreach (var (key, row) in (await _h.RowsAsync(table)).OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                text.Append(table).Append(' ').Append(key).Append(' ').Append(row.Digest).Append(' ').Append(row.RunId).Append('\n');
            }
        }

        return text.ToString();
    }
}
