using Polly.Timeout;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Ingestion.Tga;

namespace Rtgf.Ingestion.Tests.Simulator;

/// <summary>The simulator's fault modes through the real outbound pipeline and the connectors' parsers.</summary>
public sealed class MisbehaviourSimulatorTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;

    public static TheoryData<string> Connectors => ["tga-soap", "tga-rest", "cricos", "teqsa", "dfat"];

    public async Task InitializeAsync() => _sim = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task TooManyRequests_RetryAfterHonouredThenSucceeds()
    {
        await _sim.FaultAsync("/api", "429", count: 2, retryAfterSeconds: 3);
        var start = _sim.Time.GetUtcNow();

        var metadata = await _sim.DriveAsync(() => _sim.Rest.GetMetadataAsync(), TimeSpan.FromSeconds(1));

        Assert.NotNull(metadata.DataExportSynchronisationDateTime);
        Assert.Equal(0, await _sim.FaultsLeftAsync());
        // Two Retry-After waits of 3 s each on the pipeline clock (the backoff alone would be under a second each).
        Assert.True(_sim.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(6), $"waited only {_sim.Time.GetUtcNow() - start}");
    }

    [Fact]
    public async Task ServerError_SoapRetriedThenSucceeds()
    {
        await _sim.FaultAsync("/Deewr.Tga.WebServices", "500", count: 2);

        var time = await _sim.DriveAsync(() => _sim.Soap.GetServerTimeAsync(TgaService.Organisation), TimeSpan.FromSeconds(1));

        Assert.Equal(_sim.World.Clock, time);
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task ServerError_EveryAttempt_FailsWithStatus()
    {
        await _sim.FaultAsync("/national-register", "500", count: 3);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _sim.DriveAsync(() => _sim.Teqsa.GetProviderLinksAsync(), TimeSpan.FromSeconds(1)));

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Theory]
    [MemberData(nameof(Connectors))]
    public async Task Malformed_Body_ThrowsUpstreamFormatException(string connector)
    {
        await _sim.FaultAsync("/", "malformed", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => FetchAsync(connector));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Theory]
    [MemberData(nameof(Connectors))]
    public async Task Drift_RenamedFields_ThrowsUpstreamFormatException(string connector)
    {
        // TEQSA's drift renames a provider-page label; the register list has nothing to rename.
        await _sim.FaultAsync(connector == "teqsa" ? "/national-register/provider" : "/", "drift", count: 1);

        await Assert.ThrowsAsync<UpstreamFormatException>(() => FetchAsync(connector));

        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Theory]
    [MemberData(nameof(Connectors))]
    public async Task Truncated_Once_RetriedAndWholeResultReturned(string connector)
    {
        var expected = await FetchAsync(connector);
        await _sim.FaultAsync("/", "truncated", count: 1);

        var actual = await _sim.DriveAsync(() => FetchAsync(connector), TimeSpan.FromSeconds(1));

        Assert.Equal(expected, actual);
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task Truncated_EveryAttempt_ThrowsWithoutPartialResult()
    {
        await _sim.FaultAsync("/", "truncated", count: 3);

        var error = await Record.ExceptionAsync(() => _sim.DriveAsync(() => FetchAsync("cricos"), TimeSpan.FromSeconds(1)));

        Assert.True(error is HttpRequestException or IOException, $"unexpected {error?.GetType()}: {error?.Message}");
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task Slow_FirstAttemptTimesOut_RetrySucceeds()
    {
        var soap = _sim.CreateSoap("tga-soap-slow", attemptTimeout: TimeSpan.FromSeconds(2));
        await _sim.FaultAsync("/Deewr.Tga.WebServices", "slow", count: 1, delaySeconds: 30);

        var call = soap.GetServerTimeAsync(TgaService.TrainingComponent);
        Wait.Until(() => _sim.FaultsLeftAsync().GetAwaiter().GetResult() == 0 && _sim.Time.PendingTimers == 1, "the first attempt hangs in the simulator");
        _sim.Time.Advance(TimeSpan.FromSeconds(2));
        Wait.Until(() => _sim.Time.PendingTimers == 1, "the retry delay is scheduled");
        _sim.Time.Advance(TimeSpan.FromSeconds(1));
        Wait.Until(() => call.IsCompleted, "the second attempt answers");

        Assert.Equal(_sim.World.Clock, await call);
    }

    [Fact]
    public async Task Slow_EveryAttempt_ThrowsTimeoutRejected()
    {
        var soap = _sim.CreateSoap("tga-soap-slow", attemptTimeout: TimeSpan.FromSeconds(2));
        await _sim.FaultAsync("/Deewr.Tga.WebServices", "slow", count: 3, delaySeconds: 30);

        var call = soap.GetServerTimeAsync(TgaService.TrainingComponent);
        for (var attempt = 3; attempt > 0; attempt--)
        {
            Wait.Until(() => _sim.FaultsLeftAsync().GetAwaiter().GetResult() == attempt - 1 && _sim.Time.PendingTimers == 1, $"attempt {4 - attempt} hangs");
            _sim.Time.Advance(TimeSpan.FromSeconds(2));
            if (attempt > 1)
            {
                Wait.Until(() => _sim.Time.PendingTimers == 1, "the retry delay is scheduled");
                _sim.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);
    }

    /// <summary>One fetch through a connector, reduced to comparable text.</summary>
    private async Task<string> FetchAsync(string connector) => connector switch
    {
        "tga-soap" => string.Join(",", (await _sim.Soap.SearchComponentsByModifiedDateAsync(DateTimeOffset.UnixEpoch, _sim.World.Clock.AddDays(1), new TrainingComponentTypeFilter(Qualification: true))).Take(7).Select(c => c.Code + "|" + c.Title)),
        "tga-rest" => string.Join(",", (await _sim.Rest.SearchTrainingAsync("a")).Take(7).Select(c => c.Code + "|" + c.Title)),
        "cricos" => string.Join(",", (await _sim.Cricos.GetSnapshotAsync(_sim.CricosZip)).Courses.Select(c => c.CourseCode + "|" + c.Expired)),
        "teqsa" => string.Join(",", await _sim.Teqsa.GetProviderLinksAsync()) + (await _sim.Teqsa.GetProviderAsync((await _sim.Teqsa.GetProviderLinksAsync())[0])).ProviderId,
        "dfat" => string.Join(",", (await _sim.Dfat.GetListAsync(_sim.DfatXlsx)).Listings.Select(l => l.Reference + "|" + l.Name + "|" + l.ControlDate)),
        _ => throw new ArgumentOutOfRangeException(nameof(connector)),
    };
}
