using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Pipeline.Radar;
using Rtgf.Azure.Snapshots;
using Rtgf.Functions.Tests.Support;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Radar;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>
/// The app with its radar over this fixture's snapshots and items: two TGA snapshots cut with the real records, crawled by
/// the app's own <see cref="RadarCrawlWorker"/> (a baseline, then a unit superseded and a registration change).
/// </summary>
public sealed class RadarAppFixture() : StoredAppFixture(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero))
{
    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        services.RemoveAll<IRadarItemStore>();
        services.AddSingleton<IRadarItemStore>(sp => new TableRadarItemStore(sp.GetRequiredService<TableServiceClient>(), Prefix));
        services.RemoveAll<ISnapshotStore>();
        services.AddSingleton<ISnapshotStore>(_ => new BlobSnapshotStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "snapshots")));
    }

    protected override async Task SeedAsync()
    {
        var worker = Services.GetRequiredService<RadarCrawlWorker>();
        await PublishAsync(Tga(superseded: false, status: "Current"));
        await CrawlAsync(worker);
        await PublishAsync(Tga(superseded: true, status: "Cancelled"));
        await CrawlAsync(worker);
    }

    /// <summary>Writes the snapshot and names it in the source's state row, as the TGA ingest does (what the radar plans from).</summary>
    private async Task PublishAsync(Snapshot snapshot)
    {
        var written = await Services.GetRequiredService<ISnapshotStore>().WriteAsync(snapshot);
        await Services.GetRequiredService<ISourceStateStore>().UpdateAsync(IngestSources.Tga, s => s with { SnapshotDigest = written.Manifest.Digest });
    }

    private async Task CrawlAsync(RadarCrawlWorker worker)
    {
        Clock.Advance(TimeSpan.FromMinutes(30));
        var outcome = await worker.RunAsync(IngestTrigger.Timer);
        Assert.Equal(IngestRunStatus.Succeeded, outcome.Run.Status);
    }

    private static Snapshot Tga(bool superseded, string status)
    {
        IEnumerable<ISnapshotRecord> records =
        [
            new RtoRecord("90001", "Provider 90001", "11000090001", [], status, "ASQA", new DateOnly(2020, 1, 1), new DateOnly(2027, 1, 1), null),
            new RtoRecord("90002", "Provider 90002", "11000090002", [], "Current", "ASQA", new DateOnly(2020, 1, 1), new DateOnly(2027, 1, 1), null),
            new TrainingComponentRecord("BSBWHS411", ["Unit"], "Implement and monitor WHS policies", superseded ? "Superseded" : "Current", "Current",
                [new ReleaseRecord("1", new DateOnly(2020, 1, 1), "Current", [])], [], superseded ? ["BSBWHS521"] : [], [], null, null),
            new ScopeRecord("90001", "BSBWHS411", ["Unit"], null, false, false, null, new DateOnly(2021, 1, 1), null),
        ];
        return SnapshotBuilder.Build(IngestSources.Tga, superseded ? "tga-2" : "tga-1", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), [], records);
    }
}

/// <summary><c>GET /v1/rtos/{code}/radar</c> through the real app: items in order, paged and polled since a cursor; bad input is a 400.</summary>
public sealed class RadarFeedTests(RadarAppFixture app) : IClassFixture<RadarAppFixture>
{
    [Fact]
    public async Task RtoRadar_ItsItemsInOrder_PagedWithNext_PollingTheLastCursorReturnsNothingNew()
    {
        using var client = app.CreateClient();

        var first = await client.GetObjectAsync("/v1/rtos/90001/radar?limit=1");
        var second = await client.GetObjectAsync((string)first["next"]!);
        var poll = await client.GetObjectAsync($"/v1/rtos/90001/radar?since={(string)second["nextCursor"]!}");

        var items = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(i => i!.AsObject()).ToList();
        Assert.Equal(
            [RadarKinds.ComponentSuperseded, RadarKinds.RegistrationChanged],
            items.Select(i => (string)i["kind"]!).Order(StringComparer.Ordinal));
        Assert.All(items, i =>
        {
            Assert.Equal("90001", (string)i["rto"]!);
            Assert.False((bool)i["broadcast"]!);
            Assert.Equal("tga", (string)i["source"]!);
        });
        var superseded = items.Single(i => (string)i["kind"]! == RadarKinds.ComponentSuperseded);
        Assert.Equal("BSBWHS411", (string)superseded["subject"]!);
        Assert.Contains("BSBWHS521", (string)superseded["title"]!, StringComparison.Ordinal);
        Assert.Equal("90001", (string)first["rto"]!);
        Assert.Empty(poll["items"]!.AsArray());
        Assert.Equal((string)second["nextCursor"]!, (string)poll["nextCursor"]!);
    }

    [Fact]
    public async Task RtoWithNoItems_IsAnEmptyPage()
    {
        using var client = app.CreateClient();

        var page = await client.GetObjectAsync("/v1/rtos/90002/radar");

        Assert.Empty(page["items"]!.AsArray());
        Assert.Null(page["nextCursor"]);
    }

    [Theory]
    [InlineData("/v1/rtos/_all/radar", "not an RTO code")]
    [InlineData("/v1/rtos/90001%3B1/radar", "not an RTO code")]
    [InlineData("/v1/rtos/12345678901234567/radar", "not an RTO code")]
    [InlineData("/v1/rtos/90001/radar?limit=0", "'limit'")]
    [InlineData("/v1/rtos/90001/radar?since=not-a-cursor!", "'since'")]
    [InlineData("/v1/rtos/90001/radar?since=YWJj", "'since'")]
    public async Task BadInput_IsAProblem400(string path, string detail)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (string)problem["detail"]!, StringComparison.Ordinal);
    }
}
