using System.Text.Json.Nodes;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>osl-sync: the Occupation Shortage List as a whole-list source on Azurite against the simulator.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OslSyncWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<(int Occupations, int Year)> WorldAsync()
    {
        var status = JsonNode.Parse(await _h.Admin.GetStringAsync("_sim/status"))!;
        return ((int)status["counts"]!["occupations"]!, (int)status["oslYear"]!);
    }

    [Fact]
    public async Task FirstRun_WritesEveryOccupationOfBothSheets_AnUnchangedListIsNoChange()
    {
        var (occupations, year) = await WorldAsync();
        _h.NextRun();

        var first = await _h.Osl.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, first.Run.Status);
        Assert.Equal(2 * occupations, first.Run.Records);
        var rows = await _h.Osl.ReadCurrentAsync(IngestTables.OccupationShortages);
        Assert.Equal(2 * occupations, rows.Count);
        Assert.Equal(occupations, rows.Count(r => r.RecordKey.StartsWith("occupation-shortage:anzsco-2022:", StringComparison.Ordinal)));
        Assert.All(rows, r => Assert.Equal(year, (int)JsonNode.Parse(r.Json)!["listYear"]!));
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Osl))!;
        Assert.Equal(first.Compile!.SnapshotDigest, snapshot.Manifest.Digest);
        var provenance = Assert.Single(snapshot.Manifest.Provenance);
        Assert.EndsWith($"/sites/default/files/{year}-10/{year}%20Occupation%20Shortage%20List%20-%206%20digit%20ANZSCO%20and%20OSCA.xlsx", provenance.Url, StringComparison.Ordinal);
        Assert.Equal(
            [$"osl/{first.Run.RunId}/jsa-osl-page-1.html", $"osl/{first.Run.RunId}/jsa-osl-xlsx-1.xlsx"],
            (await _h.RawNamesAsync($"osl/{first.Run.RunId}/")).Order(StringComparer.Ordinal));

        _h.NextRun();
        var second = await _h.Osl.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.NoChange, second.Run.Status);
        Assert.Null(second.Compile);
        Assert.Single(await _h.ManifestNamesAsync(IngestSources.Osl));
    }

    [Fact]
    public async Task NewYear_IsANewGenerationAndSnapshot_WithTheNewYearsRatings()
    {
        var (_, year) = await WorldAsync();
        _h.NextRun();
        var first = await _h.Osl.RunAsync(IngestTrigger.Timer);
        var before = (await _h.Osl.ReadCurrentAsync(IngestTables.OccupationShortages)).ToDictionary(r => r.RecordKey, r => r.Json);
        await _h.ScenarioAsync("osl-new-year");

        _h.NextRun();
        var second = await _h.Osl.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        Assert.NotEqual(first.Compile!.SnapshotDigest, second.Compile!.SnapshotDigest);
        var after = await _h.Osl.ReadCurrentAsync(IngestTables.OccupationShortages);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Select(r => r.RecordKey).Order(StringComparer.Ordinal));
        Assert.All(after, r => Assert.Equal(year + 1, (int)JsonNode.Parse(r.Json)!["listYear"]!));
        Assert.Contains(after, r => (string)JsonNode.Parse(r.Json)!["states"]!["NSW"]! != (string)JsonNode.Parse(before[r.RecordKey])!["states"]!["NSW"]!);
        Assert.Empty(await _h.Tables.Open(IngestTables.OccupationShortages).GetPartitionAsync(first.Run.RunId));
        Assert.Contains($"/{year + 1}-10/", Assert.Single((await _h.Snapshots.GetLatestAsync(IngestSources.Osl))!.Manifest.Provenance).Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReshapedWorkbook_SameRatings_IsNoChange()
    {
        _h.NextRun();
        await _h.Osl.RunAsync(IngestTrigger.Timer);
        await _h.PostAdminAsync("_sim/changes", new JsonObject { ["changes"] = new JsonArray(new JsonObject { ["kind"] = "reshapeOsl" }) });

        _h.NextRun();
        var second = await _h.Osl.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.NoChange, second.Run.Status);
    }

    [Theory]
    [InlineData("/sites/default/files", "drift", "no national rating column")]
    [InlineData("/sites/default/files", "truncated", "")]
    [InlineData("/data/occupation-shortage", "500", "500")]
    [InlineData("/data/occupation-shortage", "503", "503")]
    public async Task BadUpstream_FailsTheRun_AndLeavesThePreviousGenerationAndSnapshot(string routePrefix, string mode, string inError)
    {
        _h.NextRun();
        var good = await _h.Osl.RunAsync(IngestTrigger.Timer);
        var rows = await _h.Osl.ReadCurrentAsync(IngestTables.OccupationShortages);
        await _h.ScenarioAsync("osl-rating-changed"); // a change the failed run must not let through
        await _h.FaultAsync(routePrefix, mode, count: 50);

        _h.NextRun();
        var bad = await _h.DriveAsync(() => _h.Osl.RunAsync(IngestTrigger.Timer));

        Assert.Equal(IngestRunStatus.Failed, bad.Run.Status);
        Assert.Null(bad.Compile);
        Assert.StartsWith("fetch: ", bad.Run.Error, StringComparison.Ordinal);
        Assert.Contains(inError, bad.Run.Error, StringComparison.Ordinal);
        var state = await _h.States.GetAsync(IngestSources.Osl);
        Assert.Equal(good.Run.RunId, state.Generation);
        Assert.Equal(good.Compile!.SnapshotDigest, state.SnapshotDigest);
        Assert.Equal(good.Compile.SnapshotDigest, (await _h.Snapshots.GetLatestAsync(IngestSources.Osl))!.Manifest.Digest);
        Assert.Single(await _h.ManifestNamesAsync(IngestSources.Osl));
        Assert.Equal(rows.Select(r => r.Digest), (await _h.Osl.ReadCurrentAsync(IngestTables.OccupationShortages)).Select(r => r.Digest));
        Assert.Equal(bad.Run.Error, state.LastError);
    }
}
