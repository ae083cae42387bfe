using System.Text.Json.Nodes;
using Rtgf.Pipeline.Enrichment;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Watchtower;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Enrichment;

/// <summary>
/// enrich-sync over Azurite with the real queue against the simulator: a whole run, a crash at every step, duplicate and
/// concurrent deliveries, the quota pause, the kill switch, stall recovery after a lost or poisoned message, bounded fan-out.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EnrichSyncWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private EnrichHarness _h = null!;

    public async Task InitializeAsync() => _h = await EnrichHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>30 live RTOs in pages of 7: four full pages and a last one of 2.</summary>
    private const int Pages = 5;

    [Fact]
    public async Task WholeRun_ReachesDone_EveryRtoEnrichedOnce_ProgressAndSourceStateRecorded()
    {
        var start = await _h.Worker.StartAsync();
        await _h.DrainAsync();

        Assert.Equal(EnrichOutcomeKind.Started, start.Kind);
        Assert.Equal(30, _h.Rtos);
        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos, _h.Rtos, Pages), (run.Status, run.Done, run.Total, run.Page));
        Assert.Equal((1, _h.Rtos - 1, 0, _h.Rtos), (run.NoAddress, run.Geocoded, run.NoResult, run.Websites));
        await AssertEveryRtoEnrichedOnceAsync(run.RunId);
        var rows = await _h.RowsAsync();
        var withAddress = rows.Values.First(r => r["address"] is not null);
        Assert.Equal("found", (string)withAddress["geocode"]!["status"]!);
        Assert.Null(rows.Values.Single(r => r["address"] is null)["geocode"]);
        Assert.Contains(rows.Values, r => (bool)r["docs"]!["available"]! && r["docs"]!["documents"]!.AsArray().Count == 2);
        Assert.All(rows.Values, r => Assert.NotNull(r["trust"]!["url"]));
        Assert.Equal(Pages, _h.Outcomes.Count(o => o.Kind is EnrichOutcomeKind.Advanced or EnrichOutcomeKind.Completed));
        Assert.Equal(1, _h.MaxSendsPerDelivery);
        var state = await _h.States.GetAsync(IngestSources.Enrich);
        Assert.Equal((run.RunId, IngestRunStatus.Succeeded), (state.LastSuccessRunId, state.LastStatus));
        Assert.NotNull(await _h.Runs.GetKeptAsync(run.RunId));
        var status = (await new SyncStatusReader(_h.States, new SyncSchedules(), _h.Runs).GetAsync(_h.Time.GetUtcNow())).Single(s => s.Source == IngestSources.Enrich);
        Assert.Equal(new SyncProgress(run.RunId, EnrichRunStatus.Done, Pages, _h.Rtos, _h.Rtos, run.After, run.UpdatedAt, null, null), status.Progress);
        Assert.Equal(run.RunId, status.LastSuccessRunId);
        // The timer looks every 10 minutes, but the expected interval is a run's (Enrich:RunEvery): not stale an hour later.
        Assert.Equal(_h.Options.RunEvery, status.ExpectedInterval);
        var anHourLater = (await new SyncStatusReader(_h.States, new SyncSchedules(), _h.Runs, _h.Options.RunEvery).GetAsync(_h.Time.GetUtcNow().AddHours(1))).Single(s => s.Source == IngestSources.Enrich);
        Assert.False(anHourLater.IsStale);

        // The timer looks every 10 minutes, but a new run starts only Enrich:RunEvery after the last completed.
        _h.Time.Advance(TimeSpan.FromMinutes(10));
        var notDue = await _h.Worker.StartAsync();
        Assert.Equal((EnrichOutcomeKind.Running, run.RunId, null), (notDue.Kind, notDue.Run!.RunId, notDue.Sent));

        // The next run enriches every RTO again (its rows name the new run), reusing the geocodes younger than GeocodeMaxAge.
        _h.Time.Advance(_h.Options.RunEvery);
        var next = await _h.Worker.StartAsync();
        await _h.DrainAsync();
        Assert.Equal(EnrichOutcomeKind.Started, next.Kind);
        Assert.NotEqual(run.RunId, next.Run!.RunId);
        Assert.All((await _h.RowsAsync()).Values, r => Assert.Equal(next.Run.RunId, (string)r["runId"]!));
        var second = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos - 1, _h.Rtos - 1), (second.Status, second.Reused, second.Geocoded));
        Assert.Equal(_h.Rtos - 1, (int)(await _h.GeocoderAsync())["answered"]!);

        // Once the stored geocodes are older than GeocodeMaxAge, a run asks the geocoder again.
        _h.Time.Advance(_h.Options.GeocodeMaxAge);
        await _h.Worker.StartAsync();
        await _h.DrainAsync();
        Assert.Equal(0, (await _h.CurrentAsync()).Reused);
        Assert.Equal(2 * (_h.Rtos - 1), (int)(await _h.GeocoderAsync())["answered"]!);
    }

    [Theory]
    [InlineData("after-claim", 2)]
    [InlineData("before-rows", 2)]
    [InlineData("after-row", 10)]
    [InlineData("after-rows", 2)]
    [InlineData("after-advance", 2)]
    [InlineData("after-advance", Pages)]
    [InlineData("after-keep", 1)]
    [InlineData("after-send", 3)]
    public async Task CrashAtAStep_RedeliveryResumes_WithoutSkippingOrRepeatingAPagesEffects(string step, int occurrence)
    {
        var seen = 0;
        var crashed = false;
        _h.Worker.Checkpoint = s =>
        {
            if (s == step && ++seen == occurrence && !crashed)
            {
                crashed = true;
                throw new SimulatedCrashException(step);
            }

            return Task.CompletedTask;
        };

        await _h.Worker.StartAsync();
        await _h.DrainAsync();

        Assert.True(crashed);
        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos, Pages), (run.Status, run.Done, run.Page));
        Assert.Equal((_h.Rtos - 1, 1), (run.Geocoded, run.NoAddress));
        await AssertEveryRtoEnrichedOnceAsync(run.RunId);

        // A crash after the advance lost that delivery's outcome, not its advance: every page advanced exactly once. (The last
        // page's redelivery repeats the completion, so it reports Completed again.)
        var lastPage = occurrence == Pages || step == "after-keep";
        var advancedByTheCrashedDelivery = step is "after-advance" or "after-send" && !lastPage ? 1 : 0;
        Assert.Equal(Pages - advancedByTheCrashedDelivery, _h.Outcomes.Count(o => o.Kind is EnrichOutcomeKind.Advanced or EnrichOutcomeKind.Completed));
        Assert.Equal(1, _h.MaxSendsPerDelivery);
        Assert.Equal(0, await EnrichHarness.QueueLengthAsync(_h.Queue));
        if (step == "after-advance" && !lastPage)
        {
            Assert.Contains(_h.Outcomes, o => o.Kind == EnrichOutcomeKind.Resent);
        }

        // The completion's bookkeeping is there whatever the crash: the run's history row and the source's success.
        Assert.Equal(run, await _h.Runs.GetKeptAsync(run.RunId));
        var state = await _h.States.GetAsync(IngestSources.Enrich);
        Assert.Equal((run.RunId, IngestRunStatus.Succeeded, run.CompletedAt), (state.LastSuccessRunId, state.LastStatus, state.LastSuccessAt));
        var status = (await new SyncStatusReader(_h.States, new SyncSchedules(), _h.Runs).GetAsync(_h.Time.GetUtcNow())).Single(s => s.Source == IngestSources.Enrich);
        Assert.Equal(IngestRunStatus.Succeeded, status.LastStatus);
    }

    [Theory]
    [InlineData("after-start")]
    [InlineData("after-resume")]
    public async Task TimerCrash_BeforeItsSend_NextTimerAfterTheGraceResendsThePage(string step)
    {
        if (step == "after-resume")
        {
            await _h.PostAsync("_sim/geocoder", new JsonObject { ["dailyQuota"] = 10 });
            await _h.Worker.StartAsync();
            await _h.DrainAsync();
            Assert.Equal(EnrichRunStatus.Paused, (await _h.CurrentAsync()).Status);
            await _h.PostAsync("_sim/geocoder", new JsonObject { ["dailyQuota"] = null });
        }

        _h.Worker.Checkpoint = s => s == step ? throw new SimulatedCrashException(step) : Task.CompletedTask;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => _h.Worker.StartAsync());
        _h.Worker.Checkpoint = null;
        Assert.Equal(0, await EnrichHarness.QueueLengthAsync(_h.Queue));

        var early = await _h.Worker.StartAsync();
        _h.Time.Advance(_h.Options.ResendAfter);
        var resent = await _h.Worker.StartAsync();
        await _h.DrainAsync();

        Assert.Equal((EnrichOutcomeKind.Running, null), (early.Kind, early.Sent));
        Assert.Equal(EnrichOutcomeKind.Recovered, resent.Kind);
        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos), (run.Status, run.Done));
        await AssertEveryRtoEnrichedOnceAsync(run.RunId);
        Assert.Equal(IngestRunStatus.Succeeded, (await _h.States.GetAsync(IngestSources.Enrich)).LastStatus);
    }

    [Fact]
    public async Task DuplicateDeliveredConcurrently_ThePageClaimLetsOneEnrich_NoGeocodeRepeated()
    {
        await _h.Worker.StartAsync();
        await _h.SendAsync((await _h.Queue.PeekMessageAsync()).Value.Body.ToString());

        var together = await _h.DeliverVisibleConcurrentlyAsync();
        await _h.DrainAsync();

        Assert.Equal([EnrichOutcomeKind.Advanced, EnrichOutcomeKind.Ignored], together.Select(o => o.Kind).Order());
        Assert.Contains(together, o => o.Reason?.Contains("claimed", StringComparison.Ordinal) == true);
        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos, (int?)null), (run.Status, run.Done, run.ClaimPage));
        await AssertEveryRtoEnrichedOnceAsync(run.RunId);
    }

    [Fact]
    public async Task GeocoderBusyAfterItsRetries_DefersThePage_NotPoisoned_ThenFinishes()
    {
        // The simulator's clock stands still: after one answer, every request is over its one-per-second limit.
        await _h.PostAsync("_sim/geocoder", new JsonObject { ["requestsPerSecond"] = 1 });
        await _h.Worker.StartAsync();

        await _h.DrainAsync(maxDeliveries: 1);

        var deferred = _h.Outcomes.Single();
        var run = await _h.CurrentAsync();
        Assert.Equal(EnrichOutcomeKind.Deferred, deferred.Kind);
        Assert.Equal(new EnrichPageMessage(run.RunId, 0, null), deferred.Sent);
        Assert.Equal(_h.Options.BusyDelay, _h.SendDelays[^1]);
        Assert.Equal((EnrichRunStatus.Active, 0, (int?)null, true), (run.Status, run.Page, run.ClaimPage, run.Sent));
        Assert.Contains("OVER_QUERY_LIMIT", run.LastError, StringComparison.Ordinal);
        Assert.Equal(0, await EnrichHarness.QueueLengthAsync(_h.Poison));
        Assert.Equal(1, await EnrichHarness.QueueLengthAsync(_h.Queue));

        await _h.PostAsync("_sim/geocoder", new JsonObject { ["requestsPerSecond"] = 0 });
        await _h.DrainAsync();

        var done = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos), (done.Status, done.Done));
        await AssertEveryRtoEnrichedOnceAsync(done.RunId);
    }

    [Fact]
    public async Task DocsProxyFailing_StoresItUnavailable_KeepsThePaidGeocode_NoGeocodeRepeated()
    {
        await _h.PostAsync("_sim/faults", new JsonObject { ["routePrefix"] = "/docs-proxy/", ["mode"] = "ServerError" });

        await _h.Worker.StartAsync();
        await _h.DrainAsync();

        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos, _h.Rtos - 1), (run.Status, run.Done, run.Geocoded));
        await AssertEveryRtoEnrichedOnceAsync(run.RunId);
        Assert.All((await _h.RowsAsync()).Values, r =>
        {
            Assert.False((bool)r["docs"]!["available"]!);
            Assert.StartsWith("proxy unavailable", (string)r["docs"]!["problem"]!, StringComparison.Ordinal);
        });
        Assert.Equal(0, await EnrichHarness.QueueLengthAsync(_h.Poison));
    }

    [Fact]
    public async Task GeocoderRefusingEveryAnswer_StoresEachRtoRefused_TheRunFinishes()
    {
        await _h.PostAsync("_sim/faults", new JsonObject { ["routePrefix"] = "/maps/", ["mode"] = "Malformed" });

        await _h.Worker.StartAsync();
        await _h.DrainAsync();

        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos, _h.Rtos - 1, 0), (run.Status, run.Done, run.Refused, run.Geocoded));
        var refused = (await _h.RowsAsync()).Values.Where(r => r["geocode"] is not null).ToList();
        Assert.Equal(_h.Rtos - 1, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal("refused", (string)r["geocode"]!["status"]!);
            Assert.Contains("Geocoding answer", (string)r["geocode"]!["problem"]!, StringComparison.Ordinal);
        });
        Assert.Equal(0, await EnrichHarness.QueueLengthAsync(_h.Poison));
    }

    [Fact]
    public async Task NonCurrentRto_IsSkipped_NoGeocodeNoRow()
    {
        await _h.SetStatusAsync(5, "Cancelled");
        var cancelled = _h.Server.World.Rtos.Where(r => r.Deleted is null).ElementAt(5).Code;

        await _h.Worker.StartAsync();
        await _h.DrainAsync();

        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos, 1, _h.Rtos - 2), (run.Status, run.Done, run.Skipped, run.Geocoded));
        var rows = await _h.RowsAsync();
        Assert.False(rows.ContainsKey(cancelled));
        Assert.Equal(_h.Rtos - 2, (int)(await _h.GeocoderAsync())["answered"]!);
    }

    [Fact]
    public async Task DuplicateAndConcurrentDeliveries_OnlyOneAdvancesTheRun_LateDuplicatesChangeNothing()
    {
        var start = await _h.Worker.StartAsync();
        var first = EnrichSyncWorker.ReadMessage(await _h.LoseOneAsync());

        var both = await Task.WhenAll(_h.Worker.RunPageAsync(first), _h.Worker.RunPageAsync(first));
        var late = await _h.Worker.RunPageAsync(first);

        Assert.Equal(EnrichOutcomeKind.Started, start.Kind);
        Assert.Equal(
            [EnrichOutcomeKind.Advanced, EnrichOutcomeKind.Ignored],
            both.Select(o => o.Kind).Order());
        Assert.Equal(EnrichOutcomeKind.Ignored, late.Kind);
        Assert.Null(late.Sent);
        Assert.Equal(1, await EnrichHarness.QueueLengthAsync(_h.Queue));
        var afterFirst = await _h.CurrentAsync();
        Assert.Equal((1, 7), (afterFirst.Page, afterFirst.Done));

        await _h.DrainAsync();
        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos), (run.Status, run.Done));
        Assert.Equal(_h.Rtos, (await _h.RowsAsync()).Count);
        Assert.Equal(1, _h.MaxSendsPerDelivery);
    }

    [Theory]
    [InlineData("OVER_DAILY_LIMIT", "OVER_DAILY_LIMIT")]
    [InlineData("OVER_QUERY_LIMIT", "daily request quota")] // what Google really sends for a spent daily quota
    public async Task GeocoderDailyQuota_PausesTheRunWithTheReason_NoRtoMarkedNotFound_ResumesFromItsCursor(string answer, string reason)
    {
        await _h.PostAsync("_sim/geocoder", new JsonObject { ["dailyQuota"] = 10, ["dailyQuotaStatus"] = answer });

        await _h.Worker.StartAsync();
        await _h.DrainAsync();

        var paused = await _h.CurrentAsync();
        Assert.Equal(EnrichRunStatus.Paused, paused.Status);
        Assert.Contains(reason, paused.PausedReason, StringComparison.Ordinal);
        Assert.Equal((1, 7), (paused.Page, paused.Done));
        var rows = await _h.RowsAsync();
        Assert.Equal(11, rows.Count); // ten geocoded and the RTO without an address
        Assert.DoesNotContain(rows.Values, r => r["geocode"] is { } g && (string)g["status"]! != "found");
        Assert.Equal(0, await EnrichHarness.QueueLengthAsync(_h.Queue));
        var state = await _h.States.GetAsync(IngestSources.Enrich);
        Assert.Equal(EnrichRunStatus.Paused, state.LastStatus);
        Assert.Contains(reason, state.LastError, StringComparison.Ordinal);

        await _h.PostAsync("_sim/geocoder", new JsonObject { ["dailyQuota"] = null });
        var resumed = await _h.Worker.StartAsync();
        await _h.DrainAsync();

        Assert.Equal(EnrichOutcomeKind.Resumed, resumed.Kind);
        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos, paused.RunId), (run.Status, run.Done, run.RunId));
        await AssertEveryRtoEnrichedOnceAsync(run.RunId);
    }

    [Fact]
    public async Task KillSwitch_PausesTheChainAtItsNextMessage_TimerStartsNothing_ReEnabledTimerResumes()
    {
        _h.Options.Enabled = false;
        var disabled = await _h.Worker.StartAsync();
        Assert.Equal(EnrichOutcomeKind.Disabled, disabled.Kind);
        Assert.Null(await _h.Runs.GetCurrentAsync());

        _h.Options.Enabled = true;
        await _h.Worker.StartAsync();
        var page0 = EnrichSyncWorker.ReadMessage(await _h.LoseOneAsync());
        var advanced = await _h.Worker.RunPageAsync(page0);
        _h.Options.Enabled = false;
        await _h.DrainAsync();

        var paused = await _h.CurrentAsync();
        Assert.Equal(EnrichOutcomeKind.Advanced, advanced.Kind);
        Assert.Equal((EnrichRunStatus.Paused, 1, 7), (paused.Status, paused.Page, paused.Done));
        Assert.Contains("Enrich:Enabled", paused.PausedReason, StringComparison.Ordinal);
        Assert.Equal(EnrichOutcomeKind.Disabled, (await _h.Worker.StartAsync()).Kind);
        Assert.Equal(0, await EnrichHarness.QueueLengthAsync(_h.Queue));

        _h.Options.Enabled = true;
        var resumed = await _h.Worker.StartAsync();
        await _h.DrainAsync();

        Assert.Equal(EnrichOutcomeKind.Resumed, resumed.Kind);
        Assert.Equal(new EnrichPageMessage(paused.RunId, 1, paused.After), resumed.Sent);
        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos), (run.Status, run.Done));
        await AssertEveryRtoEnrichedOnceAsync(run.RunId);
    }

    [Fact]
    public async Task LostMessage_TimerWaitsTheStallInterval_ThenResendsTheCurrentPage()
    {
        await _h.Worker.StartAsync();
        await _h.LoseOneAsync();

        _h.Time.Advance(_h.Options.StallAfter - TimeSpan.FromSeconds(1));
        var early = await _h.Worker.StartAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var recovered = await _h.Worker.StartAsync();
        await _h.DrainAsync();

        Assert.Equal((EnrichOutcomeKind.Running, null), (early.Kind, early.Sent));
        Assert.Equal(EnrichOutcomeKind.Recovered, recovered.Kind);
        Assert.Equal(0, recovered.Sent!.Page);
        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos), (run.Status, run.Done));
    }

    [Fact]
    public async Task PoisonedPage_AfterTheHostsRetries_StallRecoveryRestartsIt_NoPageSkipped()
    {
        await _h.PostAsync("_sim/faults", new JsonObject { ["routePrefix"] = "/maps/", ["mode"] = "ServerError" });

        await _h.Worker.StartAsync();
        var deliveries = await _h.DrainAsync();

        Assert.Equal(EnrichHarness.MaxDequeueCount, deliveries);
        Assert.Equal(1, await EnrichHarness.QueueLengthAsync(_h.Poison));
        var stuck = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Active, 0), (stuck.Status, stuck.Page));
        Assert.Contains("500", stuck.LastError, StringComparison.Ordinal);
        // Nothing geocoded (the RTO without an address needs no geocoder, so its row may be there).
        Assert.All((await _h.RowsAsync()).Values, r => Assert.Null(r["geocode"]));

        await _h.ClearFaultsAsync();
        _h.Time.Advance(_h.Options.StallAfter);
        var recovered = await _h.Worker.StartAsync();
        await _h.DrainAsync();

        Assert.Equal(EnrichOutcomeKind.Recovered, recovered.Kind);
        var run = await _h.CurrentAsync();
        Assert.Equal((EnrichRunStatus.Done, _h.Rtos, Pages), (run.Status, run.Done, run.Page));
        await AssertEveryRtoEnrichedOnceAsync(run.RunId);
    }

    [Fact]
    public async Task ForeignOrMalformedMessages_AreIgnoredOrRefused()
    {
        await _h.Worker.StartAsync();

        var foreign = await _h.Worker.RunPageAsync(new EnrichPageMessage("enrich-19990101T000000Z", 0, null));
        var ahead = await _h.Worker.RunPageAsync(new EnrichPageMessage((await _h.CurrentAsync()).RunId, 3, "X"));

        Assert.Equal((EnrichOutcomeKind.Ignored, EnrichOutcomeKind.Ignored), (foreign.Kind, ahead.Kind));
        Assert.Throws<FormatException>(() => EnrichSyncWorker.ReadMessage("{\"page\":1}"));
        Assert.Throws<FormatException>(() => EnrichSyncWorker.ReadMessage("not json"));
    }

    /// <summary>Every RTO has one row written by <paramref name="runId"/>, and the geocoder answered each address once.</summary>
    private async Task AssertEveryRtoEnrichedOnceAsync(string runId)
    {
        var rows = await _h.RowsAsync();
        Assert.Equal(_h.Rtos, rows.Count);
        Assert.All(rows.Values, r => Assert.Equal(runId, (string)r["runId"]!));
        var geocoder = await _h.GeocoderAsync();
        Assert.Equal((_h.Rtos - 1, _h.Rtos - 1, 0), ((int)geocoder["answered"]!, (int)geocoder["addresses"]!, (int)geocoder["repeats"]!));
    }

    private sealed class SimulatedCrashException(string step) : Exception("Simulated crash at " + step);
}
