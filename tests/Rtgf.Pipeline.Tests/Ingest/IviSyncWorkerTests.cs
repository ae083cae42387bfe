using System.Globalization;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Jsa;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>ivi-sync: the vacancy series as one generation; a revision and a new month rewrite history without duplicating a month; no change; drift.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IviSyncWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task FirstRun_WritesEverySeriesRawAndSnapshot_SecondRunIsNoChange()
    {
        _h.NextRun();
        var first = await _h.Ivi.RunAsync(IngestTrigger.Manual);

        Assert.Equal(IngestRunStatus.Succeeded, first.Run.Status);
        var rows = await _h.Ivi.ReadCurrentAsync(IngestTables.VacancySeries);
        Assert.Equal(first.Run.Records, rows.Count);
        Assert.Contains(rows, r => r.RecordKey.StartsWith("vacancy-series:anzsco4-3mma:AUST:0", StringComparison.Ordinal));
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Ivi))!;
        Assert.Equal(snapshot.Manifest.Digest, first.Compile!.SnapshotDigest);
        Assert.Equal(rows.Count, snapshot.Manifest.RecordCount);
        var raw = await _h.RawNamesAsync($"ivi/{first.Run.RunId}/");
        Assert.Contains($"ivi/{first.Run.RunId}/ivi-page-1.html", raw);
        Assert.Contains($"ivi/{first.Run.RunId}/ivi-anzsco4-1.xlsx", raw);

        _h.NextRun();
        var second = await _h.Ivi.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.NoChange, second.Run.Status);
        Assert.Null(second.Compile);
        Assert.Single(await _h.ManifestNamesAsync(IngestSources.Ivi));
        Assert.Equal(rows.Select(r => r.Digest), (await _h.Ivi.ReadCurrentAsync(IngestTables.VacancySeries)).Select(r => r.Digest));
    }

    [Fact]
    public async Task RevisionThenNewMonth_RewritesHistory_EveryMonthExactlyOnceWithTheRevisedValue()
    {
        _h.NextRun();
        var first = await _h.Ivi.RunAsync(IngestTrigger.Timer);
        var before = Series(await _h.Ivi.ReadCurrentAsync(IngestTables.VacancySeries));
        await _h.ScenarioAsync("ivi-revision");
        await _h.ScenarioAsync("ivi-new-month");

        _h.NextRun();
        var second = await _h.Ivi.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        Assert.NotEqual(first.Compile!.SnapshotDigest, second.Compile!.SnapshotDigest);
        var rows = await _h.Ivi.ReadCurrentAsync(IngestTables.VacancySeries);
        Assert.All(rows, r => Assert.Equal(second.Run.RunId, r.PartitionKey));
        Assert.Empty(await _h.Tables.Open(IngestTables.VacancySeries).GetPartitionAsync(first.Run.RunId)); // the old generation is gone
        var after = Series(rows);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));

        // What the simulator now publishes, read outside the pipeline: the expected value of every month.
        var published = await new JsaIviClient(_h.Admin).GetAnzsco4Async(DateOnly.FromDateTime(_h.Time.GetUtcNow().UtcDateTime));
        Assert.EndsWith("July%202025.xlsx", published.Url.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(published.Series.Count, after.Count);
        var revised = 0;
        foreach (var series in published.Series)
        {
            var months = after[series.Key];
            Assert.Equal(months.Count, months.Select(p => p.Month).Distinct().Count()); // each month exactly once
            Assert.Equal(before[series.Key].Count + 1, months.Count);
            Assert.Equal(series.Points.Select(p => (p.Month, p.Value)), months);
            revised += before[series.Key].Count(old => months.Single(p => p.Month == old.Month).Value != old.Value);
        }

        Assert.True(revised > after.Count * 12, $"only {revised} month(s) were revised");
    }

    [Theory]
    [InlineData("/sites", "drift")]
    [InlineData("/sites", "malformed")]
    [InlineData("/data/internet-vacancy-index", "500")]
    public async Task BadUpstream_FailsTheRun_KeepsTheLastGenerationAndSnapshot(string routePrefix, string mode)
    {
        _h.NextRun();
        var good = await _h.Ivi.RunAsync(IngestTrigger.Timer);
        var rows = await _h.Ivi.ReadCurrentAsync(IngestTables.VacancySeries);
        await _h.ScenarioAsync("ivi-revision"); // there is something new to take, so only the fault keeps it out
        await _h.FaultAsync(routePrefix, mode, count: 50);

        _h.NextRun();
        var bad = await _h.DriveAsync(() => _h.Ivi.RunAsync(IngestTrigger.Timer));

        Assert.Equal(IngestRunStatus.Failed, bad.Run.Status);
        Assert.Null(bad.Compile);
        Assert.StartsWith("fetch: ", bad.Run.Error, StringComparison.Ordinal);
        if (mode == "drift")
        {
            Assert.Contains("sheet '4 digit 3 month average', row 3: no column 'ANZSCO_CODE'", bad.Run.Error, StringComparison.Ordinal);
        }

        var state = await _h.States.GetAsync(IngestSources.Ivi);
        Assert.Equal(good.Run.RunId, state.Generation);
        Assert.Equal(good.Compile!.SnapshotDigest, state.SnapshotDigest);
        Assert.Equal(good.Compile.SnapshotDigest, (await _h.Snapshots.GetLatestAsync(IngestSources.Ivi))!.Manifest.Digest);
        Assert.Equal(bad.Run.Error, state.LastError);
        Assert.Equal(rows.Select(r => r.Digest), (await _h.Ivi.ReadCurrentAsync(IngestTables.VacancySeries)).Select(r => r.Digest));
        Assert.Empty(await _h.Tables.Open(IngestTables.VacancySeries).GetPartitionAsync(bad.Run.RunId));
    }

    /// <summary>Each stored series' points by record key.</summary>
    private static Dictionary<string, List<(DateOnly Month, decimal Value)>> Series(IEnumerable<MirrorRow> rows) =>
        rows.ToDictionary(
            r => r.RecordKey,
            r => JsonNode.Parse(r.Json)!["points"]!.AsArray()
                .Select(p => (DateOnly.ParseExact((string)p!["month"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture), (decimal)p["value"]!))
                .ToList(),
            StringComparer.Ordinal);
}
