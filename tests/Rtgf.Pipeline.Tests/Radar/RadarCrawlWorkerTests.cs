using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Radar;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Radar;

/// <summary>radar-crawl over Azurite: baseline, items from changes, re-delivery and crashes at every step, concurrent crawls.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RadarCrawlWorkerTests(AzuriteFixture azurite)
{
    private readonly RadarWorld _w = new(azurite);

    private static List<(string, string, string)> Shape(IEnumerable<RadarItem> items) =>
        [.. items.Select(i => (i.Rto, i.Kind, i.Subject)).Order()];

    private async Task BaselineAsync()
    {
        await _w.PublishAsync();
        var baseline = await _w.CrawlAsync();
        Assert.Equal(IngestRunStatus.Succeeded, baseline.Run.Status);
        _w.Churn();
        await _w.PublishAsync();
    }

    [Fact]
    public async Task FirstCrawl_IsABaseline_NoItemsForExistingRecords_CursorAtTheLatestDigests()
    {
        await _w.PublishAsync();

        var first = await _w.CrawlAsync();

        Assert.Equal((IngestRunStatus.Succeeded, 1, 0L), (first.Run.Status, first.Plans, first.Items));
        Assert.Empty(await _w.AllItemsAsync());
        var state = await _w.States.GetAsync(IngestSources.Radar);
        Assert.Null(state.Plan);
        var cursor = RadarCursor.Parse(state.Cursor);
        Assert.Equal(1, cursor.Sequence);
        foreach (var source in RadarCrawlWorker.Sources)
        {
            Assert.Equal((await _w.Snapshots.GetLatestAsync(source))!.Manifest.Digest, cursor.Digests[source]);
        }

        Assert.Equal(IngestRunStatus.Succeeded, state.LastStatus);
    }

    [Fact]
    public async Task Changes_BecomeItems_TheSameCrawlAgainAddsNothing()
    {
        await BaselineAsync();

        var crawl = await _w.CrawlAsync();
        var again = await _w.CrawlAsync();

        Assert.Equal((IngestRunStatus.Succeeded, 1, 6L), (crawl.Run.Status, crawl.Plans, crawl.Items));
        var items = await _w.AllItemsAsync();
        Assert.Equal(RadarWorld.ChurnItems.Order(), Shape(items));
        Assert.All(items, i => Assert.Equal((2L, crawl.Run.StartedAt), (i.Sequence, i.ObservedAt)));
        Assert.Equal((IngestRunStatus.NoChange, 0), (again.Run.Status, again.Plans));
        Assert.Equal(items, await _w.AllItemsAsync());
        Assert.Equal(IngestRunStatus.NoChange, (await _w.States.GetAsync(IngestSources.Radar)).LastStatus);
    }

    public static TheoryData<string> CrashPoints => ["before-plan", "after-plan", "after-some-items", "after-all-items"];

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task CrashAtEveryStep_TheNextCrawlResumesThePlan_NoDuplicatesNoGaps(string point)
    {
        await BaselineAsync();
        var (items, states) = point switch
        {
            "before-plan" => (null, new CrashingStateStore(_w.States, crashAt: 1)),
            "after-plan" => (new CrashingItemStore(_w.Items, keep: 0), null),
            "after-some-items" => (new CrashingItemStore(_w.Items, keep: 2), null),
            _ => ((IRadarItemStore?)null, (ISourceStateStore?)new CrashingStateStore(_w.States, crashAt: 2)),
        };

        var crashed = await _w.CrawlAsync(items, states);
        var stored = await _w.AllItemsAsync();
        var hidden = await _w.Feed.ReadAsync("90002", null, 50);
        var resumed = await _w.CrawlAsync();

        Assert.Equal(IngestRunStatus.Failed, crashed.Run.Status);
        Assert.Contains("Injected crash", crashed.Run.Error, StringComparison.Ordinal);
        Assert.Equal(point switch { "before-plan" or "after-plan" => 0, "after-some-items" => 2, _ => 6 }, stored.Count);
        Assert.Empty(hidden.Items); // a plan's items show only once the plan is complete
        Assert.Equal((IngestRunStatus.Succeeded, 1), (resumed.Run.Status, resumed.Plans));
        var final = await _w.AllItemsAsync();
        Assert.Equal(RadarWorld.ChurnItems.Order(), Shape(final));
        Assert.Equal(final.Count, final.Select(i => (i.Rto, i.Id)).Distinct().Count());
        var planTime = point == "before-plan" ? resumed.Run.StartedAt : crashed.Run.StartedAt; // a recorded plan keeps its time
        Assert.All(final, i => Assert.Equal((2L, planTime), (i.Sequence, i.ObservedAt)));
        Assert.All(stored, s => Assert.Contains(s, final)); // rows written before the crash are the rows of the finished plan
        var state = await _w.States.GetAsync(IngestSources.Radar);
        Assert.Null(state.Plan);
        Assert.Equal(2, RadarCursor.Parse(state.Cursor).Sequence);
        Assert.Equal(4, (await _w.Feed.ReadAsync("90002", null, 50)).Items.Count); // superseded, contract, tender, dataset
    }

    [Fact]
    public async Task TheSamePlanRedelivered_WritesTheSameRowsOnce()
    {
        await BaselineAsync();
        var crashed = await _w.CrawlAsync(new CrashingItemStore(_w.Items, keep: 6)); // every item stored, then the crash
        Assert.Equal(IngestRunStatus.Failed, crashed.Run.Status);
        var first = await _w.AllItemsAsync();

        await _w.CrawlAsync();

        Assert.Equal(6, first.Count);
        Assert.Equal(first, await _w.AllItemsAsync());
    }

    [Fact]
    public async Task TwoConcurrentCrawls_WriteTheSameItemsOnce()
    {
        await BaselineAsync();
        var clockA = new ManualTimeProvider(_w.Time.GetUtcNow().AddSeconds(10));
        var clockB = new ManualTimeProvider(_w.Time.GetUtcNow().AddSeconds(11));

        var outcomes = await Task.WhenAll(
            Task.Run(() => _w.Worker(time: clockA).RunAsync(IngestTrigger.Timer)),
            Task.Run(() => _w.Worker(time: clockB).RunAsync(IngestTrigger.Timer)));

        Assert.All(outcomes, o => Assert.NotEqual(IngestRunStatus.Failed, o.Run.Status));
        var items = await _w.AllItemsAsync();
        Assert.Equal(RadarWorld.ChurnItems.Order(), Shape(items));
        Assert.Single(items.Select(i => (i.Sequence, i.ObservedAt)).Distinct());
        var state = await _w.States.GetAsync(IngestSources.Radar);
        Assert.Equal((2L, (string?)null), (RadarCursor.Parse(state.Cursor).Sequence, state.Plan));
    }

    [Fact]
    public async Task NewSnapshotWhileAPlanIsHalfApplied_ThePlanFinishesFirst_TheNewSnapshotIsALaterPlan()
    {
        await BaselineAsync();
        await _w.CrawlAsync(new CrashingItemStore(_w.Items, keep: 2));
        _w.Tga.Rtos["90003"] = _w.Tga.Rtos["90003"] with { Status = "Cancelled" };
        await _w.PublishAsync();

        var resumed = await _w.CrawlAsync();

        Assert.Equal((IngestRunStatus.Succeeded, 2), (resumed.Run.Status, resumed.Plans));
        var items = await _w.AllItemsAsync();
        Assert.Equal(RadarWorld.ChurnItems.Order(), Shape(items.Where(i => i.Sequence == 2)));
        var later = Assert.Single(items, i => i.Sequence == 3);
        Assert.Equal(("90003", RadarKinds.RegistrationChanged), (later.Rto, later.Kind));
        Assert.Equal(3, RadarCursor.Parse((await _w.States.GetAsync(IngestSources.Radar)).Cursor).Sequence);
    }

    [Fact]
    public async Task PlansFromTheSourcesStateRows_ABaselineOrNoChangeCrawlReadsNoSnapshot()
    {
        await _w.PublishAsync();
        var baseline = await _w.CrawlAsync();
        var idle = await _w.CrawlAsync();

        Assert.Equal((IngestRunStatus.Succeeded, IngestRunStatus.NoChange), (baseline.Run.Status, idle.Run.Status));
        Assert.Equal(0, _w.Reads.Count); // three small state rows, not the national TGA snapshot

        // A snapshot written but not yet named by its source's state row (the source crashed between the two): the radar
        // learns of it when the state names it (the source's next run).
        _w.Tga.Rtos["90003"] = _w.Tga.Rtos["90003"] with { Status = "Suspended" };
        var unannounced = await _w.Snapshots.WriteAsync(RadarSnapshots.Tga(_w.Tga));
        var early = await _w.CrawlAsync();
        await _w.States.UpdateAsync(IngestSources.Tga, s => s with { SnapshotDigest = unannounced.Manifest.Digest });
        var announced = await _w.CrawlAsync();

        Assert.Equal(IngestRunStatus.NoChange, early.Run.Status);
        Assert.Equal((IngestRunStatus.Succeeded, 1L), (announced.Run.Status, announced.Items));
        Assert.Equal(2, _w.Reads.Count); // the applied step's two snapshots, nothing else
        var item = Assert.Single(await _w.AllItemsAsync());
        Assert.Equal(("90003", RadarKinds.RegistrationChanged, unannounced.Manifest.Digest), (item.Rto, item.Kind, item.SnapshotDigest));
    }

    [Fact]
    public async Task TheSameChangeAgainInALaterPlan_IsANewItem_SoAClientDeduplicatingByIdKeepsIt()
    {
        await _w.PublishAsync();
        await _w.CrawlAsync();
        var a = _w.Magda[0];
        var b = new TestDataset("ds-1", "Total VET students", [("r1", "2024 data", "sha256:bb")]);
        foreach (var on in new[] { true, false, true })
        {
            // Scope added, removed, added again; the dataset A → B → A → B (its snapshot digests repeat).
            if (on)
            {
                _w.Tga.Scope.Add(("90003", "CHCCCS015"));
            }
            else
            {
                _w.Tga.Scope.Remove(("90003", "CHCCCS015"));
            }

            _w.Magda[0] = on ? b : a;
            await _w.PublishAsync();
            Assert.Equal(IngestRunStatus.Succeeded, (await _w.CrawlAsync()).Run.Status);
        }

        var items = await _w.AllItemsAsync();
        var scope = items.Where(i => i.Kind == RadarKinds.ScopeChanged).OrderBy(i => i.Sequence).ToList();
        var datasets = items.Where(i => i.Kind == RadarKinds.DatasetUpdated).OrderBy(i => i.Sequence).ToList();

        Assert.Equal(["CHCCCS015 added to scope", "CHCCCS015 removed from scope", "CHCCCS015 added to scope"], scope.Select(i => i.Title));
        Assert.Equal(3, datasets.Count);
        Assert.Equal(datasets[0].SnapshotDigest, datasets[2].SnapshotDigest); // the same snapshots, a later plan
        Assert.Equal(items.Count, items.Select(i => i.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task APlanThatFailsEveryTime_IsPoisonedAfterMaxAttempts_ShownInTheState_SkippingItMovesOn()
    {
        await BaselineAsync();
        var failing = new FailingItemStore();
        for (var i = 0; i < RadarCrawlWorker.MaxPlanAttempts; i++)
        {
            var attempt = await _w.CrawlAsync(failing);
            Assert.Equal(IngestRunStatus.Failed, attempt.Run.Status);
            Assert.Contains("a deterministic failure", attempt.Run.Error, StringComparison.Ordinal);
        }

        var poisoned = await _w.CrawlAsync(failing);
        var state = await _w.States.GetAsync(IngestSources.Radar);
        var plan = RadarPlan.Parse(state.Plan)!;

        Assert.Equal(RadarCrawlWorker.MaxPlanAttempts, failing.Calls); // the poisoned plan is not tried again
        Assert.Equal(IngestRunStatus.Failed, poisoned.Run.Status);
        Assert.Equal((2L, RadarCrawlWorker.MaxPlanAttempts), (plan.Sequence, plan.Attempts));
        Assert.Contains("a deterministic failure", plan.Error, StringComparison.Ordinal);
        Assert.Contains("Radar plan 2 is poisoned", state.LastError, StringComparison.Ordinal); // what /ops/sync-status shows
        Assert.Contains("a deterministic failure", state.LastError, StringComparison.Ordinal);
        Assert.Contains("\"skip\":true", state.LastError, StringComparison.Ordinal); // and what to do about it

        // The operator's action (docs/spec/radar.md, Poisoned plans): "skip": true in the recorded plan.
        await _w.States.UpdateAsync(IngestSources.Radar, s => s with { Plan = (RadarPlan.Parse(s.Plan)! with { Skip = true }).ToJson() });
        var skipped = await _w.CrawlAsync();
        var cursor = RadarCursor.Parse((await _w.States.GetAsync(IngestSources.Radar)).Cursor);
        _w.Tga.Rtos["90003"] = _w.Tga.Rtos["90003"] with { Status = "Suspended" };
        await _w.PublishAsync();
        var next = await _w.CrawlAsync();

        Assert.Equal((IngestRunStatus.Succeeded, 1, 0L), (skipped.Run.Status, skipped.Plans, skipped.Items));
        Assert.Contains(skipped.Run.Steps ?? [], s => s.Name == "skip-2");
        Assert.Equal(2, cursor.Sequence);
        Assert.Equal(plan.Steps.Select(s => (s.Source, s.To)), plan.Steps.Select(s => (s.Source, cursor.Digests[s.Source])));
        Assert.Equal((IngestRunStatus.Succeeded, 1L), (next.Run.Status, next.Items));
        var item = Assert.Single(await _w.AllItemsAsync()); // nothing of the skipped plan; the next change as usual
        Assert.Equal(("90003", RadarKinds.RegistrationChanged, 3L), (item.Rto, item.Kind, item.Sequence));
    }

    [Fact]
    public async Task Feed_MergesTheRtosItemsWithBroadcast_InOrder_PagedSinceACursor()
    {
        await BaselineAsync();
        await _w.CrawlAsync();
        _w.Tga.Rtos["90002"] = _w.Tga.Rtos["90002"] with { Status = "Suspended" };
        await _w.PublishAsync();
        await _w.CrawlAsync();

        var page1 = await _w.Feed.ReadAsync("90002", null, 2);
        var page2 = await _w.Feed.ReadAsync("90002", page1.After, 2);
        var page3 = await _w.Feed.ReadAsync("90002", page2.After, 2);
        var empty = await _w.Feed.ReadAsync("90002", page3.After, 2);
        var none = await _w.Feed.ReadAsync("99999", null, 10);

        var all = page1.Items.Concat(page2.Items).Concat(page3.Items).ToList();
        Assert.Equal(5, all.Count); // 2 own + 2 broadcast in plan 2, 1 own in plan 3
        Assert.Equal(all.Select(i => i.RowKey).Order(StringComparer.Ordinal), all.Select(i => i.RowKey));
        Assert.Equal(2, all.Count(i => i.IsBroadcast));
        Assert.Equal(RadarKinds.RegistrationChanged, all[^1].Kind);
        Assert.Empty(empty.Items);
        Assert.Equal(page3.After, empty.After); // polling with the last cursor keeps it
        Assert.Equal(2, none.Items.Count); // an RTO with no items of its own still sees the broadcast items
        Assert.All(none.Items, i => Assert.True(i.IsBroadcast));
    }
}
