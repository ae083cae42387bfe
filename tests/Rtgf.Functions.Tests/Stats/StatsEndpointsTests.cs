using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Functions.Workers;
using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Stats;
using Rtgf.Register.Stats;

namespace Rtgf.Functions.Tests.Stats;

/// <summary>
/// <c>/v1/stats</c> and <c>/v1/stats/history</c> through the real app, with the <c>stats-cache</c> function run as the host
/// runs it: computed and marked before the message is processed, the stored document after, a new document (and ETag)
/// with the next publication, the history newest first.
/// </summary>
public sealed class StatsEndpointsTests(StatsAppFixture app) : IClassFixture<StatsAppFixture>
{
    [Fact]
    public async Task Stats_AreComputedAndMarked_ThenServedAsStored_AndChangeWithTheNextPublication()
    {
        using var client = app.CreateClient();
        var first = app.Publications[0];

        // Before the stats message is processed: computed the same way, and marked.
        var (computed, computedTag) = await GetStatsAsync(client);
        Assert.False((bool)computed["stored"]!);
        Assert.Equal(first.BuildId, (string)computed["buildId"]!);
        AssertAggregates(computed, components: 3);

        await RunStatsCacheAsync(first.BuildId);

        var (stored, storedTag) = await GetStatsAsync(client);
        Assert.True((bool)stored["stored"]!);
        var blob = (await app.Services.GetRequiredService<IStatsDocumentStore>().GetAsync(first.BuildId))!.Value.ToArray();
        Assert.Equal("\"" + Convert.ToHexStringLower(SHA256.HashData(blob)) + "\"", storedTag);
        Assert.NotEqual(computedTag, storedTag);
        Assert.Equal(first.PublishedAt, stored["publishedAt"]!.GetValue<DateTimeOffset>());
        AssertAggregates(stored, components: 3);
        using (var revalidate = new HttpRequestMessage(HttpMethod.Get, "/v1/stats"))
        {
            revalidate.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(storedTag));
            using var notModified = await client.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        // The next publication: once the instance serves it, a new document and a new ETag (never the old one by time).
        var second = await app.PublishAsync(components: 5);
        await RunStatsCacheAsync(second.BuildId);
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        _ = await client.GetObjectAsync("/v1/stats");
        await app.Generations.RefreshAsync();
        var (next, nextTag) = await GetStatsAsync(client);
        Assert.Equal(second.BuildId, (string)next["buildId"]!);
        Assert.True((bool)next["stored"]!);
        Assert.NotEqual(storedTag, nextTag);
        AssertAggregates(next, components: 5);

        // The history: one entry per publication, newest first, a page at a time.
        var page1 = await client.GetObjectAsync("/v1/stats/history?limit=1");
        var page2 = await client.GetObjectAsync((string)page1["next"]!);
        Assert.Equal(second.BuildId, (string)Assert.Single(page1["items"]!.AsArray())!["buildId"]!);
        var older = Assert.Single(page2["items"]!.AsArray())!;
        Assert.Equal(first.BuildId, (string)older["buildId"]!);
        Assert.Equal(3, (int)older["components"]!);
        Assert.Equal(12, (int)older["shortageOccupations"]!);
        Assert.Equal("2026-01", (string)older["vacancyMonth"]!);
        Assert.Null(page2["next"]);
        Assert.Equal(
            [second.BuildId, first.BuildId],
            (await client.GetObjectAsync("/v1/stats/history"))["items"]!.AsArray().Select(i => (string)i!["buildId"]!));
    }

    [Theory]
    [InlineData("/v1/stats/history?limit=0")]
    [InlineData("/v1/stats/history?limit=501")]
    [InlineData("/v1/stats/history?cursor=%21%21")]
    [InlineData("/v1/stats/history?cursor=bm90LWEtcm93")] // base64url of "not-a-row"
    public async Task BadPagingOfTheHistory_IsA400Problem(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AStatsMessageForAnUnknownBuild_FailsTheDelivery_NamingTheBuild()
    {
        var unknown = "sha256:" + new string('d', 64);

        var failure = await Assert.ThrowsAsync<PublicationStatsException>(() => RunStatsCacheAsync(unknown));

        Assert.Contains(unknown, failure.Message, StringComparison.Ordinal);
        Assert.Null(await app.Services.GetRequiredService<IStatsDocumentStore>().GetAsync(unknown));
    }

    private Task RunStatsCacheAsync(string buildId) =>
        ActivatorUtilities.CreateInstance<StatsCacheFunction>(app.Services)
            .Run(JsonSerializer.Serialize(new StatsCacheRequest(buildId), PipelineMessageJson.Default.StatsCacheRequest), CancellationToken.None);

    private static async Task<(JsonObject Body, string ETag)> GetStatsAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/v1/stats");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/v1/stats answered {(int)response.StatusCode}: {text}");
        return (JsonNode.Parse(text)!.AsObject(), response.Headers.ETag!.Tag);
    }

    /// <summary>The aggregates against the fixture's records, counted here independently.</summary>
    private static void AssertAggregates(JsonObject stats, int components)
    {
        Assert.Equal(components, (int)stats["components"]!["total"]!);
        Assert.Equal(1, (int)stats["rtos"]!["total"]!);
        Assert.Equal(1, (int)stats["sanctionsListings"]!);

        var anzsco = stats["shortages"]!["byClassification"]![OccupationShortageRecord.AnzscoClassification]!;
        Assert.Equal(2025, (int)stats["shortages"]!["listYear"]!);
        foreach (var rating in OccupationShortageRecord.Ratings)
        {
            Assert.Equal(StatsAppFixture.Occupations.Count(o => o.National == rating), (int)anzsco["byNationalRating"]![rating]!);
            foreach (var state in StatsAppFixture.States)
            {
                Assert.Equal(StatsAppFixture.Occupations.Count(o => o.States[state] == rating), (int)anzsco["byStateRating"]![state]![rating]!);
            }
        }

        var series = stats["vacancies"]!["bySeries"]!["total"]!;
        Assert.Equal("2026-01", (string)series["latestMonth"]!);
        foreach (var record in StatsAppFixture.Vacancies)
        {
            var latest = record.Points.Single(p => p.Month == new DateOnly(2026, 1, 1)).Value;
            var yearAgo = record.Points.Single(p => p.Month == new DateOnly(2025, 1, 1)).Value;
            var change = series["byState"]![record.State]!;
            Assert.Equal(latest, change["latest"]!.GetValue<decimal>());
            Assert.Equal(yearAgo, change["yearAgo"]!.GetValue<decimal>());
            Assert.Equal(latest - yearAgo, change["change"]!.GetValue<decimal>());
            Assert.Equal(Math.Round((latest - yearAgo) * 100 / yearAgo, 1, MidpointRounding.AwayFromZero), change["changePercent"]!.GetValue<decimal>());
        }

        foreach (var record in StatsAppFixture.Labour)
        {
            var latest = stats["labour"]!["byMeasure"]!["Unemployment rate"]![record.State]!;
            Assert.Equal("2025-12", (string)latest["period"]!);
            Assert.Equal(record.Observations.Single(o => o.Period == "2025-12").Value, latest["value"]!.GetValue<decimal>());
        }
    }
}
