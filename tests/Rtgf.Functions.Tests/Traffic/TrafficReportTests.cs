using System.Net;
using System.Text.Json.Nodes;
using Rtgf.Azure.Traffic;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Operations.Traffic;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Traffic;

/// <summary>The real app with two snapshot days in its <c>trafficdaily</c> table on Azurite, and the rows of a third without its marker.</summary>
public sealed class TrafficReportFixture : IAsyncLifetime
{
    public static readonly DateOnly Day1 = new(2026, 12, 3);
    public static readonly DateOnly Day2 = new(2026, 12, 4);
    public static readonly DateOnly Incomplete = new(2026, 12, 2);

    internal TrafficApp App { get; private set; } = null!;

    public TrafficDaySnapshot First { get; private set; } = null!;

    public TrafficDaySnapshot Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var azurite = await SharedAzurite.GetAsync();
        App = new TrafficApp(azurite, azurite.UniqueName("trr"), clock: new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero)));
        await App.InitializeAsync();
        var daily = App.Services.GetRequiredService<TableTrafficDaily>();
        First = Build(Day1, 120);
        Second = Build(Day2, 300);
        await daily.WriteAsync(First, default);
        await daily.WriteAsync(Second, default);

        // A day whose snapshot died before its marker: its rows are in the table but never served.
        await daily.WriteAsync(Build(Incomplete, 50), default);
        await App.Daily.DeleteEntityAsync(TrafficDays.Day(Incomplete), TableTrafficDaily.MarkerRowKey);
    }

    public Task DisposeAsync() => App.DisposeAsync();

    private static TrafficDaySnapshot Build(DateOnly day, int count)
    {
        var aggregation = new TrafficAggregation(day);
        foreach (var record in TrafficJobsTests.Seed(day, count))
        {
            aggregation.Add(record);
        }

        aggregation.Add(new TrafficDrop(TrafficJobsTests.At(day, 3), 4, 0));
        return aggregation.Build();
    }
}

public sealed class TrafficReportTests(TrafficReportFixture fixture) : IClassFixture<TrafficReportFixture>
{
    [Fact]
    public async Task Default_IsYesterday_WithItsDayTotalsAndRows()
    {
        var body = await GetAsync("/ops/traffic?limit=1000");

        Assert.Equal("2026-12-04", body["from"]!.GetValue<string>());
        Assert.Equal("2026-12-04", body["to"]!.GetValue<string>());
        var day = Assert.Single(body["days"]!.AsArray())!;
        Assert.Equal(300, day["requests"]!.GetValue<long>());
        Assert.Equal(4, day["dropped"]!.GetValue<long>());
        Assert.Equal(fixture.Second.Hours.Count, body["rows"]!.AsArray().Count);
        Assert.Equal(300, body["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<long>()));
        Assert.Null(body["nextCursor"]);
    }

    [Fact]
    public async Task Pages_FollowTheCursor_ToEveryRowOfTheRange_OnceEach()
    {
        var rows = new List<JsonNode>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var body = await GetAsync("/ops/traffic?from=2026-12-01&to=2026-12-05&limit=7" + (cursor is null ? string.Empty : "&cursor=" + cursor));
            rows.AddRange(body["rows"]!.AsArray().Select(r => r!));
            cursor = body["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 1000);

        Assert.Equal(fixture.First.Hours.Count + fixture.Second.Hours.Count, rows.Count); // not the incomplete day's
        Assert.DoesNotContain(rows, r => r["day"]!.GetValue<string>() == "2026-12-02");
        Assert.Equal(420, rows.Sum(r => r["count"]!.GetValue<long>()));
        Assert.Equal(rows.Count, rows.Select(r => r.ToJsonString()).Distinct(StringComparer.Ordinal).Count());
        Assert.True(pages > 1);
    }

    [Fact]
    public async Task RouteAndPlan_Filter()
    {
        var body = await GetAsync("/ops/traffic?from=2026-12-03&to=2026-12-04&route=verify&plan=free&limit=1000");

        var rows = body["rows"]!.AsArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(("verify", "free"), (r!["route"]!.GetValue<string>(), r["plan"]!.GetValue<string>())));
        var expected = fixture.First.Hours.Concat(fixture.Second.Hours).Where(h => h.Route == "verify" && h.Plan == "free").Sum(h => h.Count);
        Assert.Equal(expected, rows.Sum(r => r!["count"]!.GetValue<long>()));
    }

    [Fact]
    public async Task ACursor_OnlyPagesTheQueryThatGaveItOut()
    {
        var first = await GetAsync("/ops/traffic?from=2026-12-01&to=2026-12-05&limit=7");
        var cursor = first["nextCursor"]!.GetValue<string>();
        var storage = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor)).Split('.', 3)[2];
        using var client = fixture.App.CreateClient();

        using var same = await client.GetAsync(new Uri("/ops/traffic?from=2026-12-01&to=2026-12-05&limit=7&cursor=" + cursor, UriKind.Relative));
        using var otherPlan = await client.GetAsync(new Uri("/ops/traffic?from=2026-12-01&to=2026-12-05&plan=free&limit=7&cursor=" + cursor, UriKind.Relative));
        using var otherRange = await client.GetAsync(new Uri("/ops/traffic?from=2026-12-01&to=2026-12-04&limit=7&cursor=" + cursor, UriKind.Relative));
        using var raw = await client.GetAsync(new Uri("/ops/traffic?from=2026-12-01&to=2026-12-05&limit=7&cursor=" + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(storage)), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherPlan.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherRange.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode); // a bare storage continuation is not a cursor
    }

    [Theory]
    [InlineData("from=2026-13-01")]
    [InlineData("from=yesterday")]
    [InlineData("to=2026-12-04T00:00:00Z")]
    [InlineData("from=2026-12-04&to=2026-12-03")]
    [InlineData("from=2026-01-01&to=2026-12-04")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("cursor=%21%21")]
    [InlineData("route=")]
    [InlineData("from=2026-12-01&from=2026-12-02")]
    public async Task BadInput_IsA400Problem(string query)
    {
        using var client = fixture.App.CreateClient();

        using var response = await client.GetAsync(new Uri("/ops/traffic?" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonObject> GetAsync(string path)
    {
        using var client = fixture.App.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
