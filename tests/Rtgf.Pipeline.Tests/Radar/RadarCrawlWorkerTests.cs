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
