using System.Text.Json.Nodes;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests;

/// <summary>What the end-to-end tests ask of a running suite: has the pipeline settled, what ran, what the APIs answer.</summary>
internal sealed class PipelineProbe(SuiteRunner suite)
{
    public static readonly string[] PipelineQueues = ["rtgf-tga-ingest", "rtgf-compile", "rtgf-qa", "rtgf-publish", "rtgf-stats-cache"];
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(4);

    /// <summary>Waits until the pipeline's queues stay empty (in-flight messages count) and, unless told otherwise, a publish succeeded.</summary>
    public async Task SettleAsync(int since, string phase, bool requirePublish = true, bool allowDeadLetters = false)
    {
        for (var quiet = 0; quiet < 2;)
        {
            int pending;
            try
            {
                pending = await Eventually.ProbeAsync(
                    PendingAsync,
                    p => p == 0 && (!requirePublish || Invocations("publish", since).Any(e => (string?)e["outcome"] == "succeeded")),
                    SettleTimeout,
                    $"{phase}: the pipeline to settle (messages pending in {string.Join(", ", PipelineQueues)})");
            }
            catch (TimeoutException e)
            {
                var outcomes = suite.Events.Events.Skip(since).Where(x => (string?)x["event"] == "invocation")
                    .GroupBy(x => $"{x["function"]} {x["outcome"]}", StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}");
                throw new TimeoutException($"{e.Message}; invocations since: {string.Join(", ", outcomes)}{Recent()}", e);
            }

            quiet = pending == 0 ? quiet + 1 : 0;
        }

        if (!allowDeadLetters)
        {
            foreach (var queue in PipelineQueues)
            {
                var dead = suite.Queue(queue + "-poison");
                var count = await dead.ExistsAsync() ? (await dead.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
                Assert.True(count == 0, $"{phase}: {count} message(s) dead-lettered from {queue}{Recent()}");
            }
        }
    }

    private async Task<int> PendingAsync()
    {
        var total = 0;
        foreach (var queue in PipelineQueues)
        {
            var client = suite.Queue(queue);
            total += await client.ExistsAsync() ? (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
        }

        return total;
    }

    public IEnumerable<JsonObject> Invocations(string function, int since) => suite.Events.Events.Skip(since).Where(e => Is(e, function));

    public static bool Is(JsonObject e, string function) => (string?)e["event"] == "invocation" && (string?)e["function"] == function;

    public string Recent() => Environment.NewLine + "recent runner events:" + Environment.NewLine + string.Join(
        Environment.NewLine,
        suite.Events.Events.Where(e => (string?)e["event"] is "invocation" or "log" or "poison" or "warning").TakeLast(30).Select(e => e.ToJsonString()));

    public async Task<JsonObject> GetJsonAsync(string path) => await GetJsonAsync(suite.Http, path);

    public async Task<JsonObject> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}{Recent()}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
