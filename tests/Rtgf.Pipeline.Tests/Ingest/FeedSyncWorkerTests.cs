using System.Text.Json.Nodes;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>cricos-sync, teqsa-sync, sanctions-sync: Layer-1 generations, snapshots, no-change runs, scripted changes and faults.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FeedSyncWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    public static TheoryData<string, string, string> Feeds => new()
    {
        { IngestSources.Cricos, IngestTables.CricosCourses, "cricos-zip-1.zip" },
        { IngestSources.Teqsa, IngestTables.TeqsaProviders, "teqsa-provider-1.html" },
        { IngestSources.Sanctions, IngestTables.SanctionsListings, "dfat-consolidated-list-1.xlsx" },
    };

    [Theory]
    [MemberData(nameof(Feeds))]
    public async Task FirstRun_WritesTablesRawAndSnapshot_SecondRunChangesNothing(string source, string table, string rawName)
    {
        var worker = Worker(source);
        _h.NextRun();
        var first = await worker.RunAsync(IngestTrigger.Manual);

        Assert.Equal(IngestRunStatus.Succeeded, first.Run.Status);
        var snapshot = (await _h.Snapshots.GetLatestAsync(source))!;
        Assert.Equal(snapshot.Manifest.Digest, first.Compile!.SnapshotDigest);
        Assert.Equal(first.Run.RunId, first.Compile.RunId);
        var rows = await worker.ReadCurrentAsync(table);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(first.Run.RunId, r.PartitionKey));
        Assert.Equal(snapshot.Manifest.RecordCount, first.Run.Records);
        Assert.Contains($"{source}/{first.Run.RunId}/{rawName}", await _h.RawNamesAsync($"{source}/{first.Run.RunId}/"));

        _h.NextRun();
        var second = await worker.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.NoChange, second.Run.Status);
        Assert.Null(second.Compile);
        Assert.Single(await _h.ManifestNamesAsync(source));
        Assert.Equal(rows.Select(r => r.Digest), (await worker.ReadCurrentAsync(table)).Select(r => r.Digest));
        Assert.Equal(IngestRunStatus.NoChange, (await _h.States.GetAsync(source)).LastStatus);
    }

    [Fact]
    public async Task CricosCourseExpired_NextRunReplacesTheGeneration_AndCutsASnapshot()
    {
        _h.NextRun();
        var first = await _h.Cricos.RunAsync(IngestTrigger.Timer);
        var applied = await _h.ScenarioAsync("cricos-course-expired");

        _h.NextRun();
        var second = await _h.Cricos.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        Assert.NotEqual(first.Compile!.SnapshotDigest, second.Compile!.SnapshotDigest);
        var courses = await _h.Cricos.ReadCurrentAsync(IngestTables.CricosCourses);
        var expired = Assert.Single(courses, r => (string?)JsonNode.Parse(r.Json)!["courseCode"] == (string)applied["code"]!);
        Assert.True((bool)JsonNode.Parse(expired.Json)!["expired"]!);
        Assert.All(courses, r => Assert.Equal(second.Run.RunId, r.PartitionKey));
        Assert.Empty(await _h.Tables.Open(IngestTables.CricosCourses).GetPartitionAsync(first.Run.RunId)); // the old list is gone
    }

    [Fact]
    public async Task SanctionAdded_NextRunHasTheListing_WholeListReplaced()
    {
        _h.NextRun();
        var first = await _h.Sanctions.RunAsync(IngestTrigger.Timer);
        var before = await _h.Sanctions.ReadCurrentAsync(IngestTables.SanctionsListings);
        var applied = await _h.ScenarioAsync("sanction-added");

        _h.NextRun();
        var second = await _h.Sanctions.RunAsync(IngestTrigger.Timer);

        Assert.NotNull(second.Compile);
        var after = await _h.Sanctions.ReadCurrentAsync(IngestTables.SanctionsListings);
        Assert.Equal(before.Count + 1, after.Count);
        Assert.Contains(after, r => r.RecordKey == "sanction:" + (string)applied["reference"]!);
        Assert.Empty(await _h.Tables.Open(IngestTables.SanctionsListings).GetPartitionAsync(first.Run.RunId));
        Assert.Equal(second.Run.RunId, (await _h.States.GetAsync(IngestSources.Sanctions)).Generation);
    }

    [Theory]
    [InlineData(IngestSources.Cricos, "/data", "malformed")]
    [InlineData(IngestSources.Cricos, "/data", "truncated")]
    [InlineData(IngestSources.Teqsa, "/national-register", "500")]
    [InlineData(IngestSources.Sanctions, "/sites", "malformed")]
    [InlineData(IngestSources.Sanctions, "/sites", "drift")]
    public async Task BadUpstream_FailsTheRun_KeepsTheLastListAndSnapshot(string source, string routePrefix, string mode)
    {
        var worker = Worker(source);
        _h.NextRun();
        var good = await worker.RunAsync(IngestTrigger.Timer);
        await _h.FaultAsync(routePrefix, mode, count: 50);

        _h.NextRun();
        var bad = await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Timer));

        Assert.Equal(IngestRunStatus.Failed, bad.Run.Status);
        Assert.Null(bad.Compile);
        Assert.StartsWith("fetch: ", bad.Run.Error, StringComparison.Ordinal);
        var stored = (await _h.Runs.GetAsync(source, bad.Run.RunId))!.Value.Run;
        Assert.Equal(bad.Run.Error, stored.Error);
        var state = await _h.States.GetAsync(source);
        Assert.Equal(good.Run.RunId, state.Generation);
        Assert.Equal(good.Compile!.SnapshotDigest, state.SnapshotDigest);
        Assert.Equal(good.Compile.SnapshotDigest, (await _h.Snapshots.GetLatestAsync(source))!.Manifest.Digest);
        Assert.Equal(bad.Run.Error, state.LastError);
        Assert.NotEmpty(await worker.ReadCurrentAsync(worker.Source switch
        {
            IngestSources.Cricos => IngestTables.CricosProviders,
            IngestSources.Teqsa => IngestTables.TeqsaProviders,
            _ => IngestTables.SanctionsListings,
        }));
    }

    private FeedSyncWorker Worker(string source) => source switch
    {
        IngestSources.Cricos => _h.Cricos,
        IngestSources.Teqsa => _h.Teqsa,
        _ => _h.Sanctions,
    };
}
