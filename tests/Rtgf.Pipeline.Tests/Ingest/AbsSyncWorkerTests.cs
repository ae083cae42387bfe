using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Ingestion.Abs;
using Rtgf.Ingestion.Outbound;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>abs-sync: the default series through the jsa-proxy translation, whole series per snapshot, the correction, failures.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AbsSyncWorkerTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    private const string NswRate = "labour-series:ABS,LF,1.0.0:M13.3.1599.20.1.M";
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
                Name = "abs",
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
            new RawCaptureHandler(new SocketsHttpHandler()),
            new JsaProxyTranslation());
#pragma warning restore CA2000
        var feed = new AbsFeed(
            new AbsDataClient(_client),
            _h.Server.BaseAddress,
            UpstreamSettings.AbsSeries(_ => null),
            UpstreamSettings.AbsStartPeriod(_ => null));
        _worker = new FeedSyncWorker(feed, _h.Tables, _h.Snapshots, _h.Runs, _h.States, _h.Raw, _h.Time);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    public void Dispose()
    {
        _client?.Dispose();
        _factory?.Dispose();
    }

    [Fact]
    public async Task FirstRun_WritesEverySeries_RawPayloadsNamedByTheGet_SecondRunChangesNothing()
    {
        _h.NextRun();
        var first = await _worker.RunAsync(IngestTrigger.Manual);

        Assert.Equal(IngestRunStatus.Succeeded, first.Run.Status);
        Assert.Equal(IngestSources.Abs, first.Compile!.Source);
        var rows = await _worker.ReadCurrentAsync(IngestTables.LabourSeries);
        Assert.Equal(27 + 9, rows.Count);
        Assert.Equal(36, first.Run.Records);
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Abs))!;
        Assert.Equal(
            ["http://" + _h.Server.BaseAddress.Authority + "/rest/data/ABS,ERP_Q,1.0.0/1.3.TOT.1+2+3+4+5+6+7+8+AUS.Q?startPeriod=2015&dimensionAtObservation=TIME_PERIOD",
             "http://" + _h.Server.BaseAddress.Authority + "/rest/data/ABS,LF,1.0.0/M3+M12+M13.3.1599.20.1+2+3+4+5+6+7+8+AUS.M?startPeriod=2015&dimensionAtObservation=TIME_PERIOD"],
            snapshot.Manifest.Provenance.Select(p => p.Url).Order(StringComparer.Ordinal));
        var prefix = $"abs/{first.Run.RunId}/";
        Assert.Equal(
            [prefix + "GET_.rest.data.ABS_ERP_Q_1.0.0.1.3.TOT.1_2_3_4_5_6_7_8_AUS.Q_startPeriod_2015_dimensionAtObservation_TIME_PERIOD-1.json",
             prefix + "GET_.rest.data.ABS_LF_1.0.0.M3_M12_M13.3.1599.20.1_2_3_4_5_6_7_8_AUS.M_startPeriod_2015_dimensionAtObservation_TIME_PERIOD-1.json"],
            await _h.RawNamesAsync(prefix));
        var nsw = JsonNode.Parse(rows.Single(r => r.RecordKey == NswRate).Json)!;
        Assert.Equal(("NSW", "Unemployment rate", "Percent"), ((string)nsw["state"]!, (string)nsw["measure"]!, (string)nsw["unit"]!));

        _h.NextRun();
        var second = await _worker.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.NoChange, second.Run.Status);
        Assert.Null(second.Compile);
        Assert.Single(await _h.ManifestNamesAsync(IngestSources.Abs));
    }

    [Fact]
    public async Task SeriesCorrection_NextRunCutsASnapshotWithTheCorrectedValues_WholeSeriesReplaced()
    {
        _h.NextRun();
        var first = await _worker.RunAsync(IngestTrigger.Timer);
        var before = Observations(await _worker.ReadCurrentAsync(IngestTables.LabourSeries));
        var applied = await _h.PostAdminAsync("_sim/scenarios/abs-series-correction");

        _h.NextRun();
        var second = await _worker.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        Assert.NotEqual(first.Compile!.SnapshotDigest, second.Compile!.SnapshotDigest);
        var rows = await _worker.ReadCurrentAsync(IngestTables.LabourSeries);
        Assert.All(rows, r => Assert.Equal(second.Run.RunId, r.PartitionKey));
        Assert.Empty(await _h.Tables.Open(IngestTables.LabourSeries).GetPartitionAsync(first.Run.RunId));
        var after = Observations(rows);
        var corrected = applied["applied"]![0]!["periods"]!.AsArray().Select(p => (string)p!).ToHashSet();
        var month = (string)applied["applied"]![1]!["period"]!;
        foreach (var (key, series) in after)
        {
            Assert.Equal(before[key].Count + (key.Contains(",LF,", StringComparison.Ordinal) ? 1 : 0), series.Count);
            foreach (var (period, (value, status)) in before[key])
            {
                var revised = key == NswRate && corrected.Contains(period);
                Assert.Equal(revised ? (value + 0.2m, "r") : (value, status), series[period]);
            }
        }

        Assert.True(after[NswRate].ContainsKey(month));
        Assert.Equal(2, (await _h.ManifestNamesAsync(IngestSources.Abs)).Count);
    }

    [Theory]
    [InlineData("malformed", "not JSON")]
    [InlineData("drift", "TIME_PERIOD")]
    [InlineData("500", "500")]
    public async Task BadUpstream_FailsTheRun_KeepsTheLastGenerationAndSnapshot(string mode, string reason)
    {
        _h.NextRun();
        var good = await _worker.RunAsync(IngestTrigger.Timer);
        var rows = await _worker.ReadCurrentAsync(IngestTables.LabourSeries);
        await _h.FaultAsync("/rest/data/ABS,ERP_Q", mode, count: 50); // the second query fails after the first succeeded

        _h.NextRun();
        var bad = await _h.DriveAsync(() => _worker.RunAsync(IngestTrigger.Timer));

        Assert.Equal(IngestRunStatus.Failed, bad.Run.Status);
        Assert.Null(bad.Compile);
        Assert.StartsWith("fetch: ", bad.Run.Error, StringComparison.Ordinal);
        Assert.Contains(reason, bad.Run.Error, StringComparison.Ordinal);
        var state = await _h.States.GetAsync(IngestSources.Abs);
        Assert.Equal(good.Run.RunId, state.Generation);
        Assert.Equal(good.Compile!.SnapshotDigest, (await _h.Snapshots.GetLatestAsync(IngestSources.Abs))!.Manifest.Digest);
        Assert.Equal(rows.Select(r => (r.RecordKey, r.Digest)), (await _worker.ReadCurrentAsync(IngestTables.LabourSeries)).Select(r => (r.RecordKey, r.Digest)));
        Assert.Empty(await _h.Tables.Open(IngestTables.LabourSeries).GetPartitionAsync(bad.Run.RunId));
    }

    [Fact]
    public async Task SeriesWithdrawn_TheRunFails_TheLastSnapshotAndEverySeriesStay()
    {
        _h.NextRun();
        var good = await _worker.RunAsync(IngestTrigger.Timer);
        var rows = await _worker.ReadCurrentAsync(IngestTables.LabourSeries);
        await _h.PostAdminAsync("_sim/scenarios/abs-series-withdrawn");

        _h.NextRun();
        var bad = await _worker.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Failed, bad.Run.Status);
        Assert.Null(bad.Compile);
        Assert.Contains("missing: 1.3.TOT.7.Q", bad.Run.Error, StringComparison.Ordinal);
        Assert.Equal(good.Compile!.SnapshotDigest, (await _h.Snapshots.GetLatestAsync(IngestSources.Abs))!.Manifest.Digest);
        Assert.Equal(36, rows.Count);
        Assert.Equal(rows.Select(r => (r.RecordKey, r.Digest)), (await _worker.ReadCurrentAsync(IngestTables.LabourSeries)).Select(r => (r.RecordKey, r.Digest)));
        Assert.Single(await _h.ManifestNamesAsync(IngestSources.Abs));
    }

    private static Dictionary<string, Dictionary<string, (decimal Value, string? Status)>> Observations(IEnumerable<MirrorRow> rows) =>
        rows.ToDictionary(
            r => r.RecordKey,
            r => JsonNode.Parse(r.Json)!["observations"]!.AsArray().ToDictionary(o => (string)o!["period"]!, o => ((decimal)o!["value"]!, (string?)o["status"])));
}
