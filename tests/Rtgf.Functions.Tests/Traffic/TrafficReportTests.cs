using System.Net;
using System.Text.Json.Nodes;
using Rtgf.Azure.Traffic;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Operations.Traffic;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Traffic;

/// <summary>The real app with two snapshot days in its <c>trafficdaily</c> table on Azurite.</summary>
public sealed class TrafficReportFixture : IAsyncLifetime
{
    public static readonly DateOnly Day1 = new(2026, 12, 3);
    public static readonly DateOnly Day2 = new(2026, 12, 4);

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

        Assert.Equal(fixture.First.Hours.Count + fixture.Second.Hours.Count, rows.Count);
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
