using System.Net;
using Polly.Timeout;
using Rtgf.Ingestion.Abs;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.UpstreamSimulator.Abs;

namespace Rtgf.Ingestion.Tests.Abs;

/// <summary>The ABS client through the translation and the real pipeline against the simulator: formats, the correction, every fault.</summary>
public sealed class AbsDataClientSimulatorTests : IAsyncLifetime
{
    private static readonly AbsSeriesSelection States = new(AbsSimulator.LabourForce, AbsSimulator.StateKey);
    private AbsSimulator _abs = null!;

    public async Task InitializeAsync() => _abs = await AbsSimulator.StartAsync();

    public async Task DisposeAsync() => await _abs.DisposeAsync();

    [Fact]
    public async Task LabourForceByState_OneRecordPerSeries_MatchingTheSimulatedValues()
    {
        var records = await _abs.Data.GetSeriesAsync(States, "2015");

        Assert.Equal(27, records.Count);
        Assert.Equal(["ACT", "AUS", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"], records.Select(r => r.State).Distinct().Order(StringComparer.Ordinal));
        var rate = Assert.Single(records, r => r.SeriesKey == "M13.3.1599.20.1.M");
        Assert.Equal(("Unemployment rate", "NSW", "Percent", AbsSimulator.LabourForce), (rate.Measure, rate.State, rate.Unit, rate.Dataflow));
        Assert.Equal("Number (Thousands)", Assert.Single(records, r => r.SeriesKey == "M3.3.1599.20.AUS.M").Unit);
        var book = _abs.Sim.World.Abs;
        var periods = book.Periods(AbsDataflow.LabourForce);
        Assert.Equal(periods.Count, rate.Observations.Count);
        Assert.Equal("2015-01", rate.Observations[0].Period);
        for (var i = 0; i < periods.Count; i++)
        {
            var id = AbsSeriesBook.PeriodId(AbsDataflow.LabourForce, periods[i]);
            Assert.Equal(book.Observation(AbsDataflow.LabourForce, rate.SeriesKey.Split('.'), i, id).Value, rate.Observations[i].Value);
        }

        Assert.All(records.SelectMany(r => r.Observations), o => Assert.Null(o.Status));
    }

    [Fact]
    public async Task Population_QuarterlyByState_WholePersons()
    {
        var records = await _abs.Data.GetSeriesAsync(new AbsSeriesSelection("ABS,ERP_Q,1.0.0", "1.3.TOT.1+2+3+4+5+6+7+8+AUS.Q"), "2015");

        Assert.Equal(9, records.Count);
        var australia = Assert.Single(records, r => r.State == "AUS");
        Assert.Equal(("Estimated Resident Population", "Number", "2015-Q1"), (australia.Measure, australia.Unit, australia.Observations[0].Period));
        Assert.True(australia.Observations[^1].Value > records.Single(r => r.State == "NSW").Observations[^1].Value);
    }

    [Fact]
    public async Task SeriesCorrection_RevisedObservationsCarryStatusR_AndTheNewMonthArrives()
    {
        var before = await _abs.Data.GetSeriesAsync(States, "2015");
        var applied = await _abs.Sim.PostAdminAsync("_sim/scenarios/abs-series-correction");
        var after = await _abs.Data.GetSeriesAsync(States, "2015");

        var corrected = applied["applied"]![0]!["periods"]!.AsArray().Select(p => (string)p!).ToList();
        var old = before.Single(r => r.SeriesKey == "M13.3.1599.20.1.M").Observations.ToDictionary(o => o.Period);
        var now = after.Single(r => r.SeriesKey == "M13.3.1599.20.1.M").Observations;
        Assert.Equal(old.Count + 1, now.Count);
        Assert.Equal((string)applied["applied"]![1]!["period"]!, now[^1].Period);
        Assert.All(now.Where(o => old.ContainsKey(o.Period)), o =>
        {
            var revised = corrected.Contains(o.Period);
            Assert.Equal(revised ? "r" : null, o.Status);
            Assert.Equal(old[o.Period].Value + (revised ? 0.2m : 0m), o.Value);
        });
        Assert.Equal(
            before.Where(r => r.SeriesKey != "M13.3.1599.20.1.M").Select(r => r.Observations.Count + 1),
            after.Where(r => r.SeriesKey != "M13.3.1599.20.1.M").Select(r => r.Observations.Count));
    }

    [Fact]
    public async Task SeriesWithdrawn_ThePlusListAnswerLacksIt_IsAFormatErrorNamingTheMissingKey()
    {
        var population = new AbsSeriesSelection("ABS,ERP_Q,1.0.0", "1.3.TOT.1+2+3+4+5+6+7+8+AUS.Q");
        await _abs.Sim.PostAdminAsync("_sim/scenarios/abs-series-withdrawn");

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _abs.Data.GetSeriesAsync(population, "2015"));

        Assert.Contains("1 of the 9 requested series are missing: 1.3.TOT.7.Q", error.Message, StringComparison.Ordinal);
        var wildcard = await _abs.Data.GetSeriesAsync(new AbsSeriesSelection("ABS,ERP_Q,1.0.0", "1.3.TOT..Q"), "2015");
        Assert.Equal(8, wildcard.Count); // a wildcard names no fixed set: what holds data is the answer
        Assert.DoesNotContain(wildcard, r => r.SeriesKey == "1.3.TOT.7.Q");
    }

    [Theory]
    [InlineData("M13.3.1599.20.1+2.M", "M13.3.1599.20.1.M,M13.3.1599.20.2.M")]
    [InlineData("M3+M13.1+2.1599.20.AUS.M", "M3.1.1599.20.AUS.M,M3.2.1599.20.AUS.M,M13.1.1599.20.AUS.M,M13.2.1599.20.AUS.M")]
    [InlineData("M13.3.1599.20.1+1.M", "M13.3.1599.20.1.M")]
    [InlineData("M13.3.1599.20..M", null)]
    [InlineData("all", null)]
    public void ExpectedSeries_ThePlusListsExpanded_NoneWithAWildcard(string key, string? expected) =>
        Assert.Equal(expected?.Split(','), AbsDataClient.ExpectedSeries(key));

    [Fact]
    public async Task EmptySelection_404NoRecordsFound_IsAFormatErrorNamingTheQuery()
    {
        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _abs.Data.GetSeriesAsync(States, "2031"));

        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("NoRecordsFound", error.Message, StringComparison.Ordinal);
        Assert.Contains(AbsSimulator.StateKey, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("429")]
    [InlineData("503")]
    [InlineData("500")]
    [InlineData("truncated")]
    public async Task TransientFault_Once_RetriedAndTheWholeResultReturned(string mode)
    {
        var expected = await _abs.Data.GetSeriesAsync(States, "2024");
        await _abs.Sim.FaultAsync("/rest/data", mode, count: 1);

        var records = await _abs.Sim.DriveAsync(() => _abs.Data.GetSeriesAsync(States, "2024"), TimeSpan.FromSeconds(1));

        Assert.Equal(0, await _abs.Sim.FaultsLeftAsync());
        Assert.Equal(expected.Select(r => (r.Key, string.Join(',', r.Observations))), records.Select(r => (r.Key, string.Join(',', r.Observations))));
    }

    [Fact]
    public async Task ServerError_EveryAttempt_FailsWithTheStatus()
    {
        await _abs.Sim.FaultAsync("/rest/data", "500", count: 3);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _abs.Sim.DriveAsync(() => _abs.Data.GetSeriesAsync(States, "2024"), TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(0, await _abs.Sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task Malformed_Json_IsAFormatError()
    {
        await _abs.Sim.FaultAsync("/rest/data", "malformed", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _abs.Data.GetSeriesAsync(States, "2024"));

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_RenamedTimeDimension_IsAFormatErrorNamingIt()
    {
        await _abs.Sim.FaultAsync("/rest/data", "drift", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _abs.Data.GetSeriesAsync(States, "2024"));

        Assert.Contains("TIME_PERIOD", error.Message, StringComparison.Ordinal);
        Assert.Contains("[TIME]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_FirstAttemptTimesOut_RetrySucceeds_EveryAttemptSlowFails()
    {
        var client = new AbsDataClient(_abs.Client("abs-slow", attemptTimeout: TimeSpan.FromSeconds(2)));
        await _abs.Sim.FaultAsync("/rest/data", "slow", count: 1, delaySeconds: 30);

        var call = client.GetSeriesAsync(States, "2024");
        Wait.Until(() => _abs.Sim.FaultsLeftAsync().GetAwaiter().GetResult() == 0 && _abs.Sim.Time.PendingTimers == 1, "the first attempt hangs in the simulator");
        _abs.Sim.Time.Advance(TimeSpan.FromSeconds(2));
        Wait.Until(() => _abs.Sim.Time.PendingTimers == 1, "the retry delay is scheduled");
        _abs.Sim.Time.Advance(TimeSpan.FromSeconds(1));
        Wait.Until(() => call.IsCompleted, "the second attempt answers");
        Assert.Equal(27, (await call).Count);

        await _abs.Sim.FaultAsync("/rest/data", "slow", count: 3, delaySeconds: 30);
        var failing = client.GetSeriesAsync(States, "2024");
        for (var attempt = 3; attempt > 0; attempt--)
        {
            Wait.Until(() => _abs.Sim.FaultsLeftAsync().GetAwaiter().GetResult() == attempt - 1 && _abs.Sim.Time.PendingTimers == 1, $"attempt {4 - attempt} hangs");
            _abs.Sim.Time.Advance(TimeSpan.FromSeconds(2));
            if (attempt > 1)
            {
                Wait.Until(() => _abs.Sim.Time.PendingTimers == 1, "the retry delay is scheduled");
                _abs.Sim.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => failing);
    }

    [Fact]
    public async Task Redirect_ToAnotherHost_IsRefusedAndNotFollowed()
    {
        await _abs.Sim.PostAdminAsync("_sim/faults", new System.Text.Json.Nodes.JsonObject { ["routePrefix"] = "/rest/data", ["mode"] = "redirect", ["count"] = 1, ["target"] = "http://127.0.0.2:9/" });

        var error = await Assert.ThrowsAsync<UpstreamOriginException>(() => _abs.Data.GetSeriesAsync(States, "2024"));

        Assert.Contains("127.0.0.2:9", error.Message, StringComparison.Ordinal);
    }
}
