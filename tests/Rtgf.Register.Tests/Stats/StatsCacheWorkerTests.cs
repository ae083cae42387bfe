using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Stats;
using Rtgf.Register.Stats;
using Rtgf.Testing;

namespace Rtgf.Register.Tests.Stats;

/// <summary>
/// The <c>stats-cache</c> worker on Azurite: one document and one history row per publication, whatever the deliveries
/// (duplicate, concurrent, after a crash between the two writes); an unknown build fails with its name, storing nothing.
/// </summary>
public sealed class StatsCacheWorkerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset PublishedAt = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ADelivery_StoresTheDocument_WithTheRegisterCountsAndTheLabourMarketAggregates()
    {
        var world = new StatsWorld(azurite);
        var build = await world.BuildAsync(StatsWorld.AllSources());
        await world.PublishAsync(build, PublishedAt);

        var outcome = await world.Worker.RunAsync(new StatsCacheRequest(build.BuildId));

        Assert.Equal(new StatsCacheOutcome(build.BuildId, true, true), outcome);
        var stats = JsonNode.Parse((await world.Documents.GetAsync(build.BuildId))!.Value.Span)!;
        Assert.Equal(build.BuildId, (string)stats["buildId"]!);
        Assert.True((bool)stats["stored"]!);
        Assert.Equal("2026-03-01", (string)stats["asOf"]!);
        Assert.Equal(PublishedAt, stats["publishedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["abs", "ivi", "osl", "sanctions", "tga"], stats["inputs"]!.AsArray().Select(i => (string)i!["source"]!));

        // The register's counts: RTOs by status, state (one with no location is "unknown") and manager; scope rows current on the TGA day.
        var rtos = stats["rtos"]!;
        Assert.Equal(3, (int)rtos["total"]!);
        Assert.Equal("""{"Cancelled":1,"Current":2}""", rtos["byStatus"]!.ToJsonString());
        Assert.Equal("""{"NSW":2,"VIC":1,"unknown":1}""", rtos["byState"]!.ToJsonString());
        Assert.Equal("""{"ASQA":2,"VRQA":1}""", rtos["byRegistrationManager"]!.ToJsonString());
        Assert.Equal(4, (int)rtos["scopeRows"]!);
        Assert.Equal(2, (int)rtos["currentScopeRows"]!);
        Assert.Equal("""{"Qualification":2,"Unit":1}""", stats["components"]!["byType"]!.ToJsonString());
        Assert.Equal("""{"Current":2,"Superseded":1}""", stats["components"]!["byStatus"]!.ToJsonString());
        Assert.Equal(1, (int)stats["sanctionsListings"]!);

        // OSL: per classification, by national rating and by rating in each state (every rating, zero included).
        var shortages = stats["shortages"]!;
        Assert.Equal(2025, (int)shortages["listYear"]!);
        Assert.Equal(4, (int)shortages["occupations"]!);
        var anzsco = shortages["byClassification"]![OccupationShortageRecord.AnzscoClassification]!;
        Assert.Equal(3, (int)anzsco["occupations"]!);
        Assert.Equal("""{"M":0,"NS":1,"R":0,"S":2}""", anzsco["byNationalRating"]!.ToJsonString());
        Assert.Equal("""{"M":0,"NS":1,"R":0,"S":2}""", anzsco["byStateRating"]!["NSW"]!.ToJsonString());
        Assert.Equal("""{"M":0,"NS":0,"R":0,"S":3}""", anzsco["byStateRating"]!["VIC"]!.ToJsonString());
        Assert.Equal("""{"M":1,"NS":1,"R":0,"S":1}""", anzsco["byStateRating"]!["NT"]!.ToJsonString());
        Assert.Equal(OccupationShortageRecord.StateCodes.Order(StringComparer.Ordinal), anzsco["byStateRating"]!.AsObject().Select(p => p.Key));
        Assert.Equal(1, (int)shortages["byClassification"]![OccupationShortageRecord.OscaClassification]!["occupations"]!);

        // IVI: latest month and twelve months before; a state's total series, or the sum of its coarsest level (VIC).
        var series = stats["vacancies"]!["bySeries"]!["test"]!;
        Assert.Equal("2026-01", (string)series["latestMonth"]!);
        Assert.Equal("2025-01", (string)series["yearAgoMonth"]!);
        Assert.Equal([1100m, 1000m, 100m, 10m], Change(series["byState"]!["AUST"]!));
        Assert.Equal([300m, 400m, -100m, -25m], Change(series["byState"]!["NSW"]!));
        Assert.Equal([40.5m, 30m, 10.5m, 35m], Change(series["byState"]!["VIC"]!));
        Assert.Equal(["AUST", "NSW", "VIC"], series["byState"]!.AsObject().Select(p => p.Key));

        // ABS: the latest observation per measure and state; of two series, the later period.
        var labour = stats["labour"]!;
        Assert.Equal(3, (int)labour["series"]!);
        Assert.Equal(
            """{"period":"2025-12","value":4.2,"status":"r","unit":"Percent","dataflow":"ABS,LF,1.0.0","seriesKey":"M13.3.1599.20.1.M"}""",
            labour["byMeasure"]!["Unemployment rate"]!["NSW"]!.ToJsonString());
        Assert.Equal(14650.3m, (decimal)labour["byMeasure"]!["Employed persons"]!["AUS"]!["value"]!);

        // The history row: the headline of the stored document.
        var row = Assert.Single(await world.Records.QueryAsync(StatsTables.History, StatsTables.HistoryPartition, null, 10));
        var entry = JsonSerializer.Deserialize(row.Json, StatsJson.Default.StatsHistoryEntry)!;
        Assert.Equal(new StatsHistoryEntry(build.BuildId, PublishedAt, "2026-03-01", 3, 4, 2, 3, 0, 0, 1, 4, 2025, "2026-01", 1100m), entry);
    }

    private static decimal[] Change(JsonNode change) =>
        [.. new[] { "latest", "yearAgo", "change", "changePercent" }.Select(name => change[name]!.GetValue<decimal>())];

    [Fact]
    public async Task ABuildWithoutLabourInputs_HasNoLabourAggregates()
    {
        var world = new StatsWorld(azurite);
        var build = await world.BuildAsync(new Dictionary<string, IReadOnlyList<ISnapshotRecord>> { ["tga"] = StatsWorld.Tga() });
        await world.PublishAsync(build, PublishedAt);

        await world.Worker.RunAsync(new StatsCacheRequest(build.BuildId));

        var stats = JsonNode.Parse((await world.Documents.GetAsync(build.BuildId))!.Value.Span)!.AsObject();
        Assert.Equal(3, (int)stats["rtos"]!["total"]!);
        Assert.Null(stats["shortages"]);
        Assert.Null(stats["vacancies"]);
        Assert.Null(stats["labour"]);
        Assert.True(stats.ContainsKey("shortages"), "an absent source is an explicit null");
    }

    [Fact]
    public async Task ASecondDelivery_WritesNothing()
    {
        var world = new StatsWorld(azurite);
        var build = await world.BuildAsync(StatsWorld.AllSources());
        await world.PublishAsync(build, PublishedAt);
        await world.Worker.RunAsync(new StatsCacheRequest(build.BuildId));
        var document = (await world.Documents.GetAsync(build.BuildId))!.Value.ToArray();
        var row = Assert.Single(await world.Records.QueryAsync(StatsTables.History, StatsTables.HistoryPartition, null, 10));

        var again = await world.Worker.RunAsync(new StatsCacheRequest(build.BuildId));

        Assert.Equal(new StatsCacheOutcome(build.BuildId, false, false), again);
        Assert.Equal(document, (await world.Documents.GetAsync(build.BuildId))!.Value.ToArray());
        Assert.Equal(row, Assert.Single(await world.Records.QueryAsync(StatsTables.History, StatsTables.HistoryPartition, null, 10)));
    }

    [Fact]
    public async Task ConcurrentDeliveries_StoreOneDocumentAndOneRow()
    {
        var world = new StatsWorld(azurite);
        var build = await world.BuildAsync(StatsWorld.AllSources());
        await world.PublishAsync(build, PublishedAt);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => world.Worker.RunAsync(new StatsCacheRequest(build.BuildId)))));

        Assert.Single(outcomes, o => o.DocumentCreated);
        Assert.Single(outcomes, o => o.HistoryCreated);
        Assert.Single(await world.Records.QueryAsync(StatsTables.History, StatsTables.HistoryPartition, null, 10));
    }

    [Fact]
    public async Task ACrashBetweenTheDocumentAndTheRow_IsRepairedByTheNextDelivery()
    {
        var world = new StatsWorld(azurite);
        var build = await world.BuildAsync(StatsWorld.AllSources());
        await world.PublishAsync(build, PublishedAt);

        // The first delivery stored the document, then died before its row.
        var stats = await world.Calculator.ComputeAsync(build.BuildId, stored: true);
        Assert.True(await world.Documents.TryCreateAsync(build.BuildId, StatsJson.Serialize(stats)));
        Assert.Empty(await world.Records.QueryAsync(StatsTables.History, StatsTables.HistoryPartition, null, 10));

        var redelivery = await world.Worker.RunAsync(new StatsCacheRequest(build.BuildId));

        Assert.Equal(new StatsCacheOutcome(build.BuildId, false, true), redelivery);
        var row = Assert.Single(await world.Records.QueryAsync(StatsTables.History, StatsTables.HistoryPartition, null, 10));
        Assert.Equal(StatsHistoryEntry.Of(stats), JsonSerializer.Deserialize(row.Json, StatsJson.Default.StatsHistoryEntry));
    }

    [Fact]
    public async Task AnUnknownOrUnpublishedBuild_FailsNamingIt_AndStoresNothing()
    {
        var world = new StatsWorld(azurite);
        var unpublished = await world.BuildAsync(StatsWorld.AllSources());
        var unknown = "sha256:" + new string('e', 64);

        var notStored = await Assert.ThrowsAsync<PublicationStatsException>(() => world.Worker.RunAsync(new StatsCacheRequest(unknown)));
        var notPublished = await Assert.ThrowsAsync<PublicationStatsException>(() => world.Worker.RunAsync(new StatsCacheRequest(unpublished.BuildId)));
        var malformed = await Assert.ThrowsAsync<PublicationStatsException>(() => world.Worker.RunAsync(new StatsCacheRequest("sha256:nope")));

        Assert.Equal($"Build {unknown} is not in the builds store.", notStored.Message);
        Assert.Equal($"Build {unpublished.BuildId} has not been published.", notPublished.Message);
        Assert.Contains("is not a build id", malformed.Message, StringComparison.Ordinal);
        Assert.Null(await world.Documents.GetAsync(unknown));
        Assert.Null(await world.Documents.GetAsync(unpublished.BuildId));
        Assert.Empty(await world.Records.QueryAsync(StatsTables.History, StatsTables.HistoryPartition, null, 10));
    }

    [Fact]
    public async Task TheHistory_PagesNewestFirst_ToTheEnd()
    {
        var world = new StatsWorld(azurite);
        var published = new List<string>();
        foreach (var (day, salt) in new[] { (3, "a"), (1, "b"), (5, "c"), (2, "d"), (4, "e") })
        {
            var build = await world.BuildAsync(new Dictionary<string, IReadOnlyList<ISnapshotRecord>> { ["tga"] = StatsWorld.Tga() }, salt);
            await world.PublishAsync(build, new DateTimeOffset(2026, 3, day, 0, 0, 0, TimeSpan.Zero));
            await world.Worker.RunAsync(new StatsCacheRequest(build.BuildId));
            published.Add(build.BuildId);
        }

        var history = new StatsHistory(world.Records);
        var seen = new List<StatsHistoryEntry>();
        string? after = null;
        var pages = 0;
        do
        {
            var (items, next) = await history.PageAsync(after, 2);
            Assert.True(next is null || StatsHistory.IsRow(next));
            seen.AddRange(items);
            after = next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(3, pages);
        Assert.Equal([5, 4, 3, 2, 1], seen.Select(e => e.PublishedAt.Day));
        Assert.Equal(published.Order(StringComparer.Ordinal), seen.Select(e => e.BuildId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheServedDocument_IsComputedAndMarked_UntilTheWorkerStoresIt_ThenTheStoredOne()
    {
        var world = new StatsWorld(azurite);
        var build = await world.BuildAsync(StatsWorld.AllSources());
        await world.PublishAsync(build, PublishedAt);
        var source = new PublicationStatsSource(world.Documents, world.Calculator);

        var computed = await source.GetAsync(build.BuildId);
        var shared = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => source.GetAsync(build.BuildId)));
        await world.Worker.RunAsync(new StatsCacheRequest(build.BuildId));
        var stored = await source.GetAsync(build.BuildId);

        Assert.False(computed.Stored);
        Assert.False((bool)JsonNode.Parse(computed.Content)!["stored"]!);
        Assert.All(shared, d => Assert.Same(computed, d));
        Assert.True(stored.Stored);
        Assert.Equal((await world.Documents.GetAsync(build.BuildId))!.Value.ToArray(), stored.Content);

        // One computation: the two differ only in the mark.
        var a = JsonNode.Parse(computed.Content)!.AsObject();
        var b = JsonNode.Parse(stored.Content)!.AsObject();
        a.Remove("stored");
        b.Remove("stored");
        Assert.Equal(a.ToJsonString(), b.ToJsonString());
        await Assert.ThrowsAsync<PublicationStatsException>(() => source.GetAsync("sha256:" + new string('f', 64)));
    }
}
