using System.Net;
using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.AusTender;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Tests.AusTender;

public sealed class AusTenderEndpointsTests
{
    private static readonly DateTimeOffset Day = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void National_AYearOfReleases_IsAusTendersVolumeAndDeterministic()
    {
        var clock = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var world = WorldGenerator.Generate("national", 42, WorldSizes.Small, clock);
        var total = 0;
        for (var day = clock.AddDays(-365); day < clock; day = day.AddDays(1))
        {
            total += AusTenderGenerator.ReleasesIn(world, day, day.AddDays(1)).Count;
        }

        Assert.InRange(total, 70_000, 85_000);
        var again = WorldGenerator.Generate("national", 42, WorldSizes.Small, clock);
        var a = AusTenderGenerator.ReleasesIn(world, Day, Day.AddDays(1));
        Assert.Equal(a, AusTenderGenerator.ReleasesIn(again, Day, Day.AddDays(1)));
        Assert.Equal(
            AusTenderGenerator.Release(world, a[17]).ToJsonString(),
            AusTenderGenerator.Release(again, a[17]).ToJsonString());
    }

    [Fact]
    public async Task Window_PagesOfAHundredWithLinksNextThenAnEmptyWindowIsErrorCode100()
    {
        await using var server = await Simulators.SmallAsync();
        using var client = Simulators.Client(server);

        var week = "ocds/findByDates/contractLastModified/2025-06-02T00:00:00Z/2025-06-09T00:00:00Z";
        var first = JsonNode.Parse(await client.GetStringAsync(week))!;
        Assert.Equal(AusTenderEndpoints.PageSize, first["releases"]!.AsArray().Count);
        var next = (string)first["links"]!["next"]!;
        Assert.StartsWith(server.BaseAddress.AbsoluteUri, next, StringComparison.Ordinal);
        var second = JsonNode.Parse(await client.GetStringAsync(next))!;
        Assert.NotEmpty(second["releases"]!.AsArray());
        Assert.All(second["releases"]!.AsArray(), r => Assert.IsType<string>((string)r!["contracts"]![0]!["value"]!["amount"]!));

        using var empty = await client.GetAsync("ocds/findByDates/contractLastModified/2025-08-01T00:00:00Z/2025-08-02T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(100, (int)JsonNode.Parse(await empty.Content.ReadAsStringAsync())!["errorCode"]!);
    }

    [Fact]
    public async Task Rss_ListsTheLastMonthsApproachesToMarket()
    {
        await using var server = await Simulators.SmallAsync();
        using var client = Simulators.Client(server);

        var xml = System.Xml.Linq.XDocument.Parse(await client.GetStringAsync("public_data/rss/rss.xml"));

        var items = xml.Root!.Element("channel")!.Elements("item").ToList();
        Assert.Equal(AusTenderEndpoints.Atms(server.World).Count(), items.Count);
        Assert.All(items, i => Assert.StartsWith("ATM ID: ", i.Element("description")!.Value, StringComparison.Ordinal));
    }
}
