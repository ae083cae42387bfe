using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Snapshots;
using Rtgf.Functions.Tests.Support;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>
/// The app with a calendar written by the real whole-list worker (<see cref="FeedSyncWorker"/>) into this fixture's
/// tables: holidays in NSW, VIC and QLD and key dates (national and Victorian) around the fixture's today, 2026-03-02.
/// </summary>
public sealed class CalendarAppFixture() : StoredAppFixture(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero))
{
    public static readonly CalendarDateRecord[] Dates =
    [
        Holiday("NSW", 2026, 1, 26, "Australia Day"),
        Holiday("NSW", 2026, 4, 3, "Good Friday"),
        Holiday("VIC", 2026, 4, 3, "Good Friday"),
        Holiday("QLD", 2026, 4, 3, "Good Friday"),
        Holiday("NSW", 2026, 6, 8, "King's Birthday"),
        Holiday("QLD", 2026, 10, 5, "King's Birthday"),
        Holiday("VIC", 2026, 11, 3, "Melbourne Cup"),
        Holiday("NSW", 2027, 1, 1, "New Year's Day"),
        Holiday("NSW", 2028, 1, 26, "Australia Day"),
        KeyDate("ncver-total-vet-activity", "national", 2026, 2, 28),
        KeyDate("ncver-total-vet-activity", "national", 2027, 2, 28),
        KeyDate("standards-for-rtos-2025", "national", 2025, 7, 1),
        KeyDate("vic-funding-contract", "VIC", 2026, 7, 1),
        KeyDate("asqa-annual-declaration", "national", 2026, 4, 3),
    ];

    public string Generation { get; private set; } = "";

    private static CalendarDateRecord Holiday(string state, int y, int m, int d, string title) =>
        new(CalendarDateRecord.HolidayKind, new DateOnly(y, m, d), state, title, null, null, null);

    private static CalendarDateRecord KeyDate(string id, string jurisdiction, int y, int m, int d) =>
        new(CalendarDateRecord.KeyDateKind, new DateOnly(y, m, d), jurisdiction, id, "notes", "https://example.gov.au/" + id, new DateOnly(2015, 1, 1), id, null, true);

    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        services.RemoveAll<IRecordTables>();
        services.AddSingleton<IRecordTables>(sp => new TableRecordTables(sp.GetRequiredService<TableServiceClient>(), Prefix));
    }

    protected override async Task SeedAsync()
    {
        var tables = Azurite.TableService();
        var worker = new FeedSyncWorker(
            new StaticFeed(), new TableRecordTables(tables, Prefix), new BlobSnapshotStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "snapshots")),
            new TableIngestRunLog(tables, Prefix), SourceStates, new BlobRawPayloadStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "raw")), Clock);
        var outcome = await worker.RunAsync(IngestTrigger.Manual);
        Assert.Equal(IngestRunStatus.Succeeded, outcome.Run.Status);
        Generation = outcome.Run.RunId;
    }

    private sealed class StaticFeed : IFeedSource
    {
        public string Source => IngestSources.Calendar;

        public IReadOnlyList<string> Tables { get; } = [IngestTables.CalendarDates];

        public Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new FeedFetch([.. Dates.Select(r => new FeedRecord(IngestTables.CalendarDates, r))], [new SnapshotProvenance("urn:test:calendar", "static")]));
    }
}

/// <summary><c>GET /v1/calendar</c> through the real app over the calendar's current generation.</summary>
public sealed class CalendarEndpointsTests(CalendarAppFixture app) : IClassFixture<CalendarAppFixture>
{
    private static List<string> Keys(IEnumerable<JsonObject> items) => [.. items.Select(i => (string)i["key"]!)];

    private static async Task<(List<JsonObject> Items, List<JsonObject> Pages)> PageAllAsync(HttpClient client, string path)
    {
        var items = new List<JsonObject>();
        var pages = new List<JsonObject>();
        for (string? next = path; next is not null;)
        {
            var page = await client.GetObjectAsync(next);
            pages.Add(page);
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            next = (string?)page["next"];
            Assert.True(pages.Count < 100, "paging does not end");
        }

        return (items, pages);
    }

    [Fact]
    public async Task DefaultWindow_IsAYearFromToday_AStateSeesItsHolidaysAndTheNationalAndItsOwnKeyDates_ByDateThenKey()
    {
        using var client = app.CreateClient();

        var page = await client.GetObjectAsync("/v1/calendar?state=nsw");

        Assert.Equal((app.Generation, "2026-03-02", "2027-03-02"), ((string)page["generation"]!, (string)page["from"]!, (string)page["to"]!));
        Assert.Equal(
            ["holiday:NSW:2026-04-03", "key-date:asqa-annual-declaration:2026-04-03", "holiday:NSW:2026-06-08", "holiday:NSW:2027-01-01", "key-date:ncver-total-vet-activity:2027-02-28"],
            Keys(page["items"]!.AsArray().Select(i => i!.AsObject())));
        Assert.Equal(5, (int)page["total"]!);
        Assert.Null(page["next"]);
        var declaration = page["items"]![1]!;
        Assert.Equal(("key-date", "national", "https://example.gov.au/asqa-annual-declaration", "2015-01-01", true),
            ((string)declaration["kind"]!, (string)declaration["jurisdiction"]!, (string)declaration["source"]!, (string)declaration["effectiveFrom"]!, (bool)declaration["verified"]!));
    }

    [Fact]
    public async Task Paging_FollowsNextToTheEnd_WithTheSameWindowAndFilters_AndMatchesOnePage()
    {
        using var client = app.CreateClient();

        var (items, pages) = await PageAllAsync(client, "/v1/calendar?from=2025-06-01&to=2027-06-01&limit=3");
        var whole = await client.GetObjectAsync("/v1/calendar?from=2025-06-01&to=2027-06-01&limit=500");

        Assert.Equal(Keys(whole["items"]!.AsArray().Select(i => i!.AsObject())), Keys(items));
        Assert.Equal(13, items.Count);
        Assert.Equal(5, pages.Count);
        Assert.All(pages, p => Assert.Equal(13, (int)p["total"]!));
        Assert.Equal("/v1/calendar?from=2025-06-01&to=2027-06-01&limit=3&cursor=", ((string)pages[0]["next"]!)[..^((string)pages[0]["nextCursor"]!).Length]);
        Assert.Equal(items.Select(i => (string)i["date"]!).Order(StringComparer.Ordinal), items.Select(i => (string)i["date"]!));
    }

    [Fact]
    public async Task KindAndNational_SelectOnlyNationalKeyDates_AStateFilterIsCaseInsensitive()
    {
        using var client = app.CreateClient();

        var national = await client.GetObjectAsync("/v1/calendar?state=national&kind=key-date&from=2025-01-01&to=2026-12-31");
        var victoria = await client.GetObjectAsync("/v1/calendar?state=Vic&kind=holiday&from=2026-01-01&to=2026-12-31");

        Assert.Equal(
            ["key-date:standards-for-rtos-2025:2025-07-01", "key-date:ncver-total-vet-activity:2026-02-28", "key-date:asqa-annual-declaration:2026-04-03"],
            Keys(national["items"]!.AsArray().Select(i => i!.AsObject())));
        Assert.Equal(["holiday:VIC:2026-04-03", "holiday:VIC:2026-11-03"], Keys(victoria["items"]!.AsArray().Select(i => i!.AsObject())));
    }

    [Theory]
    [InlineData("/v1/calendar?state=NZ", "'state' must be a state or territory code")]
    [InlineData("/v1/calendar?kind=holidays", "'kind' must be holiday or key-date.")]
    [InlineData("/v1/calendar?from=2026-13-01", "'from' must be a date in the form yyyy-MM-dd.")]
    [InlineData("/v1/calendar?to=20260101", "'to' must be a date in the form yyyy-MM-dd.")]
    [InlineData("/v1/calendar?from=2026-05-01&to=2026-04-30", "'to' is before 'from'.")]
    [InlineData("/v1/calendar?from=2026-01-01&to=2028-01-03", "'from' and 'to' may be at most 731 days apart.")]
    [InlineData("/v1/calendar?limit=0", "'limit' must be a whole number from 1 to 500.")]
    [InlineData("/v1/calendar?cursor=%25%25", "'cursor' is not a cursor this API gave out.")]
    [InlineData("/v1/calendar?cursor=bm90LWEtcG9zaXRpb24", "'cursor' is not a cursor this API gave out.")]
    public async Task BadInput_IsA400Problem(string path, string detail)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadObjectAsync();
        Assert.Equal("urn:rtgf:problem:invalid-request", (string)problem["type"]!);
        Assert.StartsWith(detail, (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/calendar?to=0001-01-01", "0001-01-01", "0001-01-01")]
    [InlineData("/v1/calendar?to=0001-06-01", "0001-01-01", "0001-06-01")]
    [InlineData("/v1/calendar?from=9999-12-31", "9999-12-31", "9999-12-31")]
    [InlineData("/v1/calendar?from=9999-06-01", "9999-06-01", "9999-12-31")]
    public async Task AnOpenWindowAtTheEdgeOfTime_IsClampedToTheFirstOrLastDate_NotA500(string path, string from, string to)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadObjectAsync();
        Assert.Equal((from, to, 0), ((string)page["from"]!, (string)page["to"]!, (int)page["total"]!));
    }

    [Fact]
    public async Task TheLongestWindow_IsAccepted()
    {
        using var client = app.CreateClient();

        var page = await client.GetObjectAsync("/v1/calendar?from=2026-01-01&to=2028-01-02&state=NSW&kind=holiday");

        Assert.Equal(["holiday:NSW:2026-01-26", "holiday:NSW:2026-04-03", "holiday:NSW:2026-06-08", "holiday:NSW:2027-01-01"], Keys(page["items"]!.AsArray().Select(i => i!.AsObject())));
    }
}
