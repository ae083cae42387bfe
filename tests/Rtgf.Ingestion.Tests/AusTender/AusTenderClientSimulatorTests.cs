using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rtgf.Ingestion.AusTender;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.UpstreamSimulator.AusTender;

namespace Rtgf.Ingestion.Tests.AusTender;

/// <summary>The AusTender OCDS and ATM RSS clients through the real outbound pipeline against the simulator's small world (clock 2025-07-01).</summary>
public sealed class AusTenderClientSimulatorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset WeekStart = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);
    private SimulatorHarness _sim = null!;

    public async Task InitializeAsync() => _sim = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task Window_OfAWeek_FollowsLinksNextAcrossPagesAndReadsEveryRelease()
    {
        var expected = AusTenderGenerator.ReleasesIn(_sim.World, WeekStart, WeekStart.AddDays(7));
        Assert.True(expected.Count > AusTenderEndpoints.PageSize, $"the week holds only {expected.Count} releases");

        var window = await _sim.AusTender.GetWindowAsync(WeekStart, WeekStart.AddDays(7));

        Assert.Equal((expected.Count + AusTenderEndpoints.PageSize - 1) / AusTenderEndpoints.PageSize, window.Pages);
        Assert.Equal(expected.Count, window.Releases);
        Assert.Equal(expected.Select(r => r.Id), window.Contracts.Select(c => c.ReleaseId));
        Assert.Contains(window.Contracts, c => c.Amendments.Count > 0);
        Assert.Contains(window.Contracts, c => c.Categories.Any(k => k.StartsWith("86", StringComparison.Ordinal)));
        Assert.Contains(window.Contracts, c => c.Suppliers.Any(s => _sim.World.Rtos.Any(r => r.Abn == s.Abn)));
        Assert.All(window.Contracts, c => Assert.All(c.Suppliers, s => Assert.True(s.Abn is null || s.Abn.Length == 11)));
    }

    [Fact]
    public async Task Window_AfterTheClock_Answers400ErrorCode100AndIsEmpty()
    {
        var window = await _sim.AusTender.GetWindowAsync(_sim.World.Clock.AddDays(1), _sim.World.Clock.AddDays(2));

        Assert.Equal(0, window.Pages);
        Assert.Empty(window.Contracts);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("429")]
    [InlineData("truncated")]
    public async Task Window_TransientFault_RetriedAndWholeWindowRead(string mode)
    {
        var expected = await _sim.AusTender.GetWindowAsync(WeekStart, WeekStart.AddDays(1));
        await _sim.FaultAsync("/ocds", mode, count: 2);

        var actual = await _sim.DriveAsync(() => _sim.AusTender.GetWindowAsync(WeekStart, WeekStart.AddDays(1)), TimeSpan.FromSeconds(1));

        Assert.Equal(expected.Contracts.Select(c => c.ReleaseId), actual.Contracts.Select(c => c.ReleaseId));
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task Window_ServerErrorEveryAttempt_FailsWithStatus()
    {
        await _sim.FaultAsync("/ocds", "500", count: 3);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _sim.DriveAsync(() => _sim.AusTender.GetWindowAsync(WeekStart, WeekStart.AddDays(1)), TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task Window_MalformedBody_ThrowsUpstreamFormatException()
    {
        await _sim.FaultAsync("/ocds", "malformed", count: 1);

        await Assert.ThrowsAsync<UpstreamFormatException>(() => _sim.AusTender.GetWindowAsync(WeekStart, WeekStart.AddDays(1)));
    }

    [Fact]
    public async Task Window_SchemaDrift_MalformedReleaseNamedWithItsPath()
    {
        await _sim.FaultAsync("/ocds", "drift", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _sim.AusTender.GetWindowAsync(WeekStart, WeekStart.AddDays(1)));

        Assert.Contains("$.releases[0].date is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("release prod-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScriptedChanges_NewContractThenAmendment_AppearAsReleasesOfOneContract()
    {
        var added = await _sim.PostAdminAsync("_sim/scenarios/tender-new-contract");
        var amended = await _sim.PostAdminAsync("_sim/scenarios/tender-amendment");
        var contractId = (string)added["applied"]![0]!["contractId"]!;

        var window = await _sim.AusTender.GetWindowAsync(_sim.World.Clock.AddHours(-1), _sim.World.Clock.AddSeconds(1));

        var releases = window.Contracts.Where(c => c.ContractId == contractId).ToList();
        Assert.Equal(2, releases.Count);
        Assert.Equal((string)amended["applied"]![0]!["releaseId"]!, releases[1].ReleaseId);
        Assert.Equal(releases[0].Value * 1.1m, releases[1].Value);
        Assert.Contains(_sim.World.Rtos, r => r.Abn == releases[0].Suppliers.Single().Abn);
        Assert.Equal(["86101700"], releases[0].Categories);
    }

    [Fact]
    public async Task Atm_Rss_ItemsParsedWithIdsDatesAndCategories()
    {
        var expected = AusTenderEndpoints.Atms(_sim.World).ToList();

        var tenders = await _sim.Atm.GetCurrentAsync();

        Assert.Equal(expected.Select(a => a.Id).Order(StringComparer.Ordinal), tenders.Select(t => t.AtmId).Order(StringComparer.Ordinal));
        var first = expected.OrderBy(a => a.Id, StringComparer.Ordinal).First();
        var parsed = tenders.Single(t => t.AtmId == first.Id);
        Assert.Equal(first.Published.ToUnixTimeSeconds(), parsed.PublishedDate.ToUnixTimeSeconds());
        Assert.Equal(first.Closes, parsed.CloseDate);
        Assert.Equal([first.Category], parsed.Categories);
        Assert.Equal(new Uri(_sim.Server.BaseAddress, "Atm/Show/" + first.Uuid).AbsoluteUri, parsed.Url);
    }

    [Fact]
    public async Task Atm_SchemaDrift_ItemWithoutAtmIdNamed()
    {
        await _sim.FaultAsync("/public_data", "drift", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _sim.Atm.GetCurrentAsync());

        Assert.Contains("item 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no ATM ID", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Pager abuse, on a loopback upstream: a <c>next</c> off the origin and a <c>next</c> that loops.</summary>
public sealed class AusTenderClientPagingTests
{
    private static readonly DateTimeOffset Day = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task LinksNext_OffTheOrigin_RefusedAndNeverFetched()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Json(c, PageWith("https://evil.example/ocds/next")));
        using var connector = new Connector(server);

        await Assert.ThrowsAsync<UpstreamOriginException>(() => new AusTenderClient(connector.Http, server.BaseAddress).GetWindowAsync(Day, Day.AddDays(1)));
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task LinksNext_BackToAnEarlierPage_IsALoop()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Json(c, PageWith("?page=2")));
        using var connector = new Connector(server);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => new AusTenderClient(connector.Http, server.BaseAddress).GetWindowAsync(Day, Day.AddDays(1)));

        Assert.Contains("loops", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task BadRequest_OtherThanErrorCode100_IsAnError()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) =>
        {
            c.Response.StatusCode = 400;
            return Json(c, """{"errorCode":101,"message":"Invalid Date Range"}""");
        });
        using var connector = new Connector(server);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => new AusTenderClient(connector.Http, server.BaseAddress).GetWindowAsync(Day, Day.AddDays(1)));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    private static string PageWith(string next) =>
        new JsonObject { ["releases"] = new JsonArray(OcdsReleaseParserTests.Release()), ["links"] = new JsonObject { ["next"] = next } }.ToJsonString();

    private static Task Json(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }
}
