using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Outbound;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>magda-monitor: the default watch list over the simulated data.gov.au, no-change runs, changed/added/withdrawn resources, failures.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MagdaMonitorWorkerTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    // The simulated catalogue's dataset ids (internal to the simulator).
    private const string Cricos = "dataset:e5ae2a58-700f-4748-b6bd-f86eaf33f4e2";
    private const string Holidays = "dataset:b1bc6077-dadd-4f61-9f8c-002ab2cdff10";
    private const string Students = "dataset:3f1b2c4d-0a6e-4c1f-9e55-0c7e40000001";
    private const string Funded = "dataset:5d7e9f10-2b3c-4d8e-8f66-0c7e40000002";
    private const string AusTender = "dataset:8a9b0c1d-4e5f-4a6b-9c7d-a05e0de00001";
    private IngestHarness _h = null!;
    private OutboundHttpClientFactory _factory = null!;
    private HttpClient _client = null!;
    private FeedSyncWorker _worker = null!;

    public async Task InitializeAsync()
    {
        _h = await IngestHarness.StartAsync(azurite);
        _factory = new OutboundHttpClientFactory(_h.Time, NullLoggerFactory.Instance);
        _client = _factory.CreateClient(
            new OutboundOptions
            {
                Name = "datagovau",
                BaseAddress = _h.Server.BaseAddress,
                AttemptTimeout = null,
                TotalTimeout = null,
                MaxRetries = 2,
                RetryBaseDelay = TimeSpan.FromMilliseconds(200),
                RetryMaxDelay = TimeSpan.FromSeconds(1),
                MaxRetryAfter = TimeSpan.FromSeconds(2),
                RateLimitPermits = null,
                MaxConcurrency = null,
                BreakerFailureThreshold = 100,
            },
#pragma warning disable CA2000 // The client owns its handler chain.
            new RawCaptureHandler(new SocketsHttpHandler()));
#pragma warning restore CA2000
        _worker = Worker(null);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    public void Dispose()
    {
        _client?.Dispose();
        _factory?.Dispose();
    }

    private FeedSyncWorker Worker(string? watch) =>
        new(new MagdaFeed(new CkanClient(_client, pageSize: 2), _h.Server.BaseAddress, MagdaWatch.Parse(watch)), _h.Tables, _h.Snapshots, _h.Runs, _h.States, _h.Raw, _h.Time);

    [Fact]
    public async Task FirstRun_TheDefaultWatchList_OneRecordPerDataset_SecondRunChangesNothing()
    {
        _h.NextRun();
        var first = await _worker.RunAsync(IngestTrigger.Manual);

        Assert.Equal(IngestRunStatus.Succeeded, first.Run.Status);
        var rows = await RecordsAsync();
        Assert.Equal(
            new Dictionary<string, string>
            {
                [Cricos] = "dataset:cricos",
                [Holidays] = "dataset:australian-holidays-machine-readable-dataset",
                [Students] = "search:NCVER",
                [Funded] = "search:NCVER",
                [AusTender] = "search:AusTender",
            }.OrderBy(p => p.Key, StringComparer.Ordinal),
            rows.Select(p => KeyValuePair.Create(p.Key, (string)p.Value["watch"]!)).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(5, first.Run.Records);
        var holidays = rows[Holidays]["resources"]!.AsArray();
        Assert.Equal(5, holidays.Count);
        Assert.All(holidays, r => Assert.StartsWith("sha256:", (string)r!["fingerprint"]!, StringComparison.Ordinal));
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Magda))!;
        Assert.Contains(snapshot.Manifest.Provenance, p => p.Url.EndsWith("package_search?q=vocational%20education%20and%20training", StringComparison.Ordinal));
        Assert.NotEmpty(await _h.RawNamesAsync($"magda/{first.Run.RunId}/"));

        _h.NextRun();
        var second = await _worker.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.NoChange, second.Run.Status);
        Assert.Single(await _h.ManifestNamesAsync(IngestSources.Magda));
    }

    [Fact]
    public async Task ResourceUpdated_ANewSnapshot_WhoseRecordsDifferInTheChangedResourcesFingerprintsOnly()
    {
        _h.NextRun();
        var first = await _worker.RunAsync(IngestTrigger.Timer);
        var before = await RecordsAsync();
        var applied = await _h.PostAdminAsync("_sim/scenarios/dataset-resource-updated");

        _h.NextRun();
        var second = await _worker.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        Assert.NotEqual(first.Run.SnapshotDigest, second.Run.SnapshotDigest);
        Assert.Equal(2, (await _h.ManifestNamesAsync(IngestSources.Magda)).Count);
        var after = await RecordsAsync();
        var changed = applied["applied"]!.AsArray().Select(a => (string)a!["resource"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var key in before.Keys)
        {
            var old = Fingerprints(before[key]);
            var now = Fingerprints(after[key]);
            Assert.Equal(old.Keys, now.Keys);
            Assert.All(old, p => Assert.Equal(changed.Contains(p.Key), p.Value != now[p.Key]));
        }

        Assert.Equal(2, before.Keys.Count(k => (string)before[k]["metadataModified"]! != (string)after[k]["metadataModified"]!));
        Assert.Empty(await _h.Tables.Open(IngestTables.Datasets).GetPartitionAsync(first.Run.RunId));
    }

    /// <summary>
    /// dataset-resource-added is a new file in an NCVER dataset; holidays-new-year the calendar's next year, the same
    /// catalogue change the calendar reads (one simulated dataset).
    /// </summary>
    [Theory]
    [InlineData("dataset-resource-added", Students, 3, "NCVER Total VET students and courses part 3 (CSV)", true)]
    [InlineData("holidays-new-year", Holidays, 6, "australian_public_holidays_2027.csv", false)]
    public async Task ResourceAdded_JoinsItsDatasetsRecord(string scenario, string record, int count, string name, bool hashed)
    {
        _h.NextRun();
        await _worker.RunAsync(IngestTrigger.Timer);
        var applied = await _h.PostAdminAsync("_sim/scenarios/" + scenario);

        _h.NextRun();
        var second = await _worker.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        var resources = (await RecordsAsync())[record]["resources"]!.AsArray();
        Assert.Equal(count, resources.Count);
        var added = Assert.Single(resources, r => (string)r!["id"]! == (string)applied["applied"]![0]!["resource"]!)!;
        Assert.Equal(name, (string)added["name"]!);
        Assert.Equal(hashed, added["hash"] is not null);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("dataset:ncver-government-funded-students;dataset:cricos")]
    public async Task DatasetWithdrawn_LeavesTheNextSnapshot_WhetherSearchedOrNamed(string? watch)
    {
        var worker = Worker(watch);
        _h.NextRun();
        await worker.RunAsync(IngestTrigger.Timer);
        Assert.Contains(Funded, (await RecordsAsync()).Keys);
        await _h.PostAdminAsync("_sim/scenarios/dataset-withdrawn");

        _h.NextRun();
        var second = await worker.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        var after = await RecordsAsync();
        Assert.DoesNotContain(Funded, after.Keys);
        Assert.Contains(Cricos, after.Keys);
    }

    [Fact]
    public async Task FoundByTwoEntries_OneRecord_WatchIsTheFirstEntry()
    {
        var named = Worker("dataset:ncver-total-vet-students-and-courses;search:NCVER");
        _h.NextRun();
        await named.RunAsync(IngestTrigger.Timer);
        var rows = await RecordsAsync();

        Assert.Equal([Students, Funded], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("dataset:ncver-total-vet-students-and-courses", (string)rows[Students]["watch"]!);
        Assert.Equal("search:NCVER", (string)rows[Funded]["watch"]!);
    }

    [Theory]
    [InlineData("/data/api/3/action/package_search", "malformed", "not JSON")]
    [InlineData("/data/api/3/action/package_show", "drift", "has no 'id'")]
    [InlineData("/data/api/3/action/package_search", "500", "500")]
    public async Task BadUpstream_FailsTheRun_KeepsTheLastGenerationAndSnapshot(string route, string mode, string reason)
    {
        _h.NextRun();
        var good = await _worker.RunAsync(IngestTrigger.Timer);
        var rows = await _worker.ReadCurrentAsync(IngestTables.Datasets);
        await _h.FaultAsync(route, mode, count: 50);

        _h.NextRun();
        var bad = await _h.DriveAsync(() => _worker.RunAsync(IngestTrigger.Timer));

        Assert.Equal(IngestRunStatus.Failed, bad.Run.Status);
        Assert.StartsWith("fetch: ", bad.Run.Error, StringComparison.Ordinal);
        Assert.Contains(reason, bad.Run.Error, StringComparison.Ordinal);
        Assert.Equal(good.Run.RunId, (await _h.States.GetAsync(IngestSources.Magda)).Generation);
        Assert.Equal(good.Run.SnapshotDigest, (await _h.Snapshots.GetLatestAsync(IngestSources.Magda))!.Manifest.Digest);
        Assert.Equal(rows.Select(r => (r.RecordKey, r.Digest)), (await _worker.ReadCurrentAsync(IngestTables.Datasets)).Select(r => (r.RecordKey, r.Digest)));
        Assert.Empty(await _h.Tables.Open(IngestTables.Datasets).GetPartitionAsync(bad.Run.RunId));
    }

    [Fact]
    public async Task WatchListFindingNothing_FailsTheRun_NamingTheSetting()
    {
        _h.NextRun();
        var run = await Worker("dataset:no-such-dataset;search:nothing matches this").RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Failed, run.Run.Status);
        Assert.Contains("found no dataset at all", run.Run.Error, StringComparison.Ordinal);
        Assert.Contains(MagdaWatch.Setting, run.Run.Error, StringComparison.Ordinal);
        Assert.Null(await _h.Snapshots.GetLatestAsync(IngestSources.Magda));
    }

    private async Task<Dictionary<string, JsonNode>> RecordsAsync() =>
        (await _worker.ReadCurrentAsync(IngestTables.Datasets)).ToDictionary(r => r.RecordKey, r => JsonNode.Parse(r.Json)!, StringComparer.Ordinal);

    private static Dictionary<string, string> Fingerprints(JsonNode record) =>
        record["resources"]!.AsArray().ToDictionary(r => (string)r!["id"]!, r => (string)r!["fingerprint"]!, StringComparer.Ordinal);
}
