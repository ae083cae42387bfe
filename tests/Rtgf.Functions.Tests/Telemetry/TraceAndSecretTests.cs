using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Core.Telemetry;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Telemetry;

/// <summary>
/// Traces end to end and the secret scan (docs/spec/telemetry.md): an HTTP request's trace id reaches the queue message,
/// the queue function runs under it with its storage calls below, and the next hop's message carries it on; no secret
/// the flows handle appears in any log line or span the app produced.
/// </summary>
public sealed class TraceAndSecretTests(TelemetryFixture app) : IClassFixture<TelemetryFixture>
{
    [Fact]
    public async Task OneTraceId_FollowsAnHttpRequest_ThroughTheQueueHop_ToTheStorageCalls()
    {
        var traceId = ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736");
        using (var response = await SignUpAsync("trace.example.org", "203.0.113.61", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // The queued sign-up carries the request's trace (the sender stamps it; the body is otherwise the contract's).
        var queued = await PeekAsync(app.SignupQueue, "trace.example.org");
        var sent = ActivityContext.Parse((string)queued[MessageTraceContext.TraceParent]!, null);
        Assert.Equal(traceId, sent.TraceId);

        await app.DrainSignupsAsync();

        // The queue function ran under the sender's span (parent, not a new trace), and its storage calls are below it.
        var spans = app.Activities.Snapshot();
        var process = Assert.Single(spans, a => a.DisplayName == "process waitlist-signups" && a.TraceId == traceId);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(sent.SpanId, process.ParentSpanId);
        var below = Descendants(spans, process).ToList();
        Assert.Contains(below, a => a.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) && a.DisplayName.Contains("Table", StringComparison.Ordinal));
        Assert.Contains(below, a => a.Source.Name == "System.Net.Http");

        // The next hop (the comms outbox) carries the same trace id on, from inside the queue function.
        var comms = await PeekAsync(app.CommsQueue, "trace.example.org");
        var next = ActivityContext.Parse((string)comms[MessageTraceContext.TraceParent]!, null);
        Assert.Equal(traceId, next.TraceId);
        Assert.Contains(below.Append(process), a => a.SpanId == next.SpanId);
    }

    [Fact]
    public async Task NoSecret_AppearsInAnyLogLineOrSpan_OverTheEndToEndFlows()
    {
        const string apiKey = "rtgf_live_SecretScanApiKey_9d8c7b6a5f4e3d2c1b0a";
        const string bearer = "eyJhbGciOiJFUzI1NiJ9.SecretScanBearerToken.c2lnbmF0dXJl";

        // A sign-up, then the emailed links as a person uses them.
        using (var response = await SignUpAsync("secrets.example.org", "203.0.113.62", traceParent: null))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var email = Assert.Single(await app.SentToAsync("secrets.example.org"));
        var confirmUrl = email.Values["confirm-url"];
        var unsubscribeUrl = email.Values["unsubscribe-url"];
        var magicTokens = new[] { confirmUrl, unsubscribeUrl }.Select(u => Uri.UnescapeDataString(u[(u.IndexOf("token=", StringComparison.Ordinal) + 6)..])).ToList();
        using (var page = await app.SendAsync(HttpMethod.Get, confirmUrl))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using (var confirmed = await app.SendAsync(HttpMethod.Post, confirmUrl))
        {
            Assert.True(confirmed.IsSuccessStatusCode, $"confirm answered {(int)confirmed.StatusCode}");
        }

        // An API request with a key the app does not know (refused: the refusal must not echo it), and the operator's metrics
        // snapshot with a bearer token it has no use for.
        using (var client = app.CreateClient())
        {
            using var keyed = new HttpRequestMessage(HttpMethod.Get, "/v1/waitlist/unsubscribe?token=" + Uri.EscapeDataString(magicTokens[1]));
            keyed.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
            using var refused = await client.SendAsync(keyed);
            Assert.InRange((int)refused.StatusCode, 400, 499);

            using var snapshot = new HttpRequestMessage(HttpMethod.Get, "/ops/metrics");
            snapshot.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
            using var metrics = await client.SendAsync(snapshot);
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }

        string[] secrets = [apiKey, bearer, TelemetryFixture.StripeSecret, TelemetryFixture.UpstreamPassword, .. magicTokens];
        var logs = app.Logs.Entries;
        var spans = app.Activities.Snapshot();
        Assert.True(logs.Count > 0, $"only {logs.Count} log lines were captured: the scan would prove little");
        Assert.Contains(spans, a => a.Source.Name == "Microsoft.AspNetCore"); // the HTTP server spans, where headers would leak

        var lines = logs.SelectMany(LogTexts).Concat(spans.SelectMany(SpanTexts)).ToList();
        foreach (var secret in secrets)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"a secret ({secret[..6]}…) appears in: {leak}");
        }
    }

    [Fact]
    public async Task OpsMetrics_ShowsEachFunctionsGoldenSignals_AndTheQueueAge()
    {
        using (var response = await SignUpAsync("metrics.example.org", "203.0.113.63", traceParent: null))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await app.DrainSignupsAsync();
        using var client = app.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/ops/metrics", UriKind.Relative)));
        var instruments = document.RootElement.GetProperty("instruments").EnumerateArray().ToList();
        var names = instruments.Select(i => i.GetProperty("name").GetString()!).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names); // sorted, so two snapshots diff line by line

        var duration = instruments.Single(i => i.GetProperty("name").GetString() == RtgfMetrics.FunctionDuration);
        Assert.Equal("ms", duration.GetProperty("unit").GetString());
        Assert.Equal("histogram", duration.GetProperty("kind").GetString());
        var series = duration.GetProperty("series").EnumerateArray().ToList();
        Assert.Contains(series, s => Tag(s, "function") == "JoinWaitlist" && Tag(s, "trigger") == "http" && Tag(s, "outcome") == "success" &&
            Tag(s, "http.response.status_code") == "202" && s.GetProperty("count").GetInt64() >= 1);
        Assert.Contains(series, s => Tag(s, "function") == "waitlist-signups" && Tag(s, "trigger") == "queue" && Tag(s, "outcome") == "success");

        var age = instruments.Single(i => i.GetProperty("name").GetString() == RtgfMetrics.QueueAge);
        Assert.Equal("s", age.GetProperty("unit").GetString());
        Assert.Contains(age.GetProperty("series").EnumerateArray(), s => Tag(s, "function") == "waitlist-signups" && s.GetProperty("min").GetDouble() >= 0);
    }

    private static string? Tag(JsonElement series, string name) =>
        series.GetProperty("tags").TryGetProperty(name, out var value) ? value.GetString() : null;

    private async Task<HttpResponseMessage> SignUpAsync(string domain, string address, string? traceParent)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/waitlist")
        {
            Content = JsonContent.Create(new { email = "ada@" + domain, organisation = "Analytical Engines" }),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        return await client.SendAsync(request);
    }

    private static async Task<JsonObject> PeekAsync(global::Azure.Storage.Queues.QueueClient queue, string domain)
    {
        await queue.CreateIfNotExistsAsync();
        var messages = (await queue.PeekMessagesAsync(32)).Value;
        return messages.Select(m => JsonNode.Parse(m.Body.ToString())!.AsObject())
            .Single(m => m.ToJsonString().Contains("@" + domain, StringComparison.Ordinal));
    }

    private static IEnumerable<Activity> Descendants(IReadOnlyList<Activity> spans, Activity root)
    {
        var children = spans.Where(a => a.TraceId == root.TraceId).ToLookup(a => a.ParentSpanId);
        var stack = new Stack<Activity>([root]);
        while (stack.TryPop(out var span))
        {
            foreach (var child in children[span.SpanId])
            {
                yield return child;
                stack.Push(child);
            }
        }
    }

    private static IEnumerable<string> LogTexts(RecordedLog log) =>
        new[] { log.Category, log.Message, log.Exception ?? string.Empty }
            .Concat(log.State.Select(p => p.Key + "=" + p.Value))
            .Concat(log.Scopes.Select(p => p.Key + "=" + p.Value));

    private static IEnumerable<string> SpanTexts(Activity span) =>
        new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? string.Empty, span.TraceStateString ?? string.Empty }
            .Concat(span.TagObjects.Select(t => t.Key + "=" + Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture)))
            .Concat(span.Baggage.Select(b => b.Key + "=" + b.Value))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => e.Name + ":" + t.Key + "=" + Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture)).Append(e.Name)))
            .Concat(span.Links.SelectMany(l => l.Tags?.Select(t => t.Key + "=" + t.Value) ?? []));
}
