using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Rtgf.LocalRunner.Tests;

/// <summary>
/// Issue 12's incident end to end on the real app through the local runner: two sources finish together before the first
/// publication (two compile messages for one build), and later every source changes and all four syncs run at once. Each
/// round must settle with nothing dead-lettered, a log whose stored tiles prove its signed checkpoint (the app's own audit),
/// and freshly published tokens that verify at our clock.
/// </summary>
public sealed class ConcurrentPublicationEndToEndTests(SuiteRunner suite) : IClassFixture<SuiteRunner>
{
    private readonly PipelineProbe _probe = new(suite);

    [Fact]
    public async Task Pipeline_SourcesFinishingTogetherThenEverySourceChangingAtOnce_LogStaysProvenAndNothingIsLost()
    {
        // TGA and CRICOS first: compile waits for the other sources, nothing is published.
        var since = suite.EventCount;
        foreach (var sync in new[] { "tga-sync", "cricos-sync" })
        {
            Assert.True((await suite.RunFunctionAsync(sync)).Succeeded, $"{sync} failed{_probe.Recent()}");
        }

        await _probe.SettleAsync(since, "round 1 (TGA and CRICOS)", requirePublish: false);
        Assert.Equal(0L, await LogSizeAsync());

        // TEQSA and the sanctions list finish within the same moment: two compile messages, one build.
        since = suite.EventCount;
        await RunTogetherAsync("teqsa-sync", "sanctions-sync");
        await _probe.SettleAsync(since, "round 2 (TEQSA and sanctions together)");
        var compiles = _probe.Invocations("compile", since).Count(e => (string?)e["outcome"] == "succeeded");
        var publishes = _probe.Invocations("publish", since).Count(e => (string?)e["outcome"] == "succeeded");
        Assert.True(compiles >= 2, $"round 2: expected a compile per sync, saw {compiles}{_probe.Recent()}");
        Assert.True(publishes == 1, $"round 2: the build was published by {publishes} invocations, not one (hand-offs collapse duplicates){_probe.Recent()}");
        var first = await AssertProvenAsync("round 2");
        await AssertFreshTokenVerifiesAsync("round 2");

        // Every source changes (the simulator's monthly churn touches TGA, CRICOS and the sanctions list) and all four syncs run at once.
        await suite.ApplyScenarioAsync("monthly-churn");
        using (var clock = await suite.Simulator.PostAsJsonAsync("_sim/clock", new JsonObject { ["advanceSeconds"] = 60 }))
        {
            Assert.True(clock.IsSuccessStatusCode, $"POST /_sim/clock: {(int)clock.StatusCode}");
        }

        since = suite.EventCount;
        await RunTogetherAsync("tga-sync", "cricos-sync", "teqsa-sync", "sanctions-sync");
        await _probe.SettleAsync(since, "round 3 (every source at once)");
        var second = await AssertProvenAsync("round 3");
        Assert.True(second > first, $"round 3: the log did not grow ({first} -> {second})");
        await AssertFreshTokenVerifiesAsync("round 3");
    }

    private async Task RunTogetherAsync(params string[] syncs)
    {
        var runs = await Task.WhenAll(syncs.Select(sync => suite.RunFunctionAsync(sync)));
        for (var i = 0; i < syncs.Length; i++)
        {
            Assert.True(runs[i].Succeeded, $"{syncs[i]} failed: {runs[i]}{_probe.Recent()}");
        }
    }

    /// <summary>The app's own audit of its log store: the signed checkpoint verifies and every stored tile and bundle proves it.</summary>
    private async Task<long> AssertProvenAsync(string round)
    {
        var audit = await _probe.GetJsonAsync("ops/log/audit");
        Assert.True((bool)audit["clean"]!, $"{round}: the log does not prove its checkpoint: {audit.ToJsonString()}");
        return (long)audit["size"]!;
    }

    private async Task<long> LogSizeAsync() => (long)(await _probe.GetJsonAsync("ops/log/audit"))["size"]!;

    /// <summary>The newest registration token verifies now, at our clock, the moment its publication is done.</summary>
    private async Task AssertFreshTokenVerifiesAsync(string round)
    {
        var page = await _probe.GetJsonAsync("catalog/rto-registration?limit=1");
        var id = (string)page["items"]![0]!["tokenId"]!;
        var token = await _probe.GetJsonAsync("tokens/" + id);
        using var response = await suite.Http.PostAsJsonAsync("verify", new JsonObject { ["token"] = (string)token["jws"]! });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{round}: POST /verify: {(int)response.StatusCode} {text}");
        Assert.True((bool)JsonNode.Parse(text)!["valid"]!, $"{round}: a freshly published token does not verify at our clock: {text}");
    }
}
