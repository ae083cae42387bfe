using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rtgf.Functions.Tests.Robustness;

/// <summary>What a generated request's 4xx may carry: a Problem, or (on /mcp, docs/spec/mcp.md) a JSON-RPC error too.</summary>
internal enum RefusalShape
{
    Problem,
    ProblemOrJsonRpcError,
}

/// <summary>
/// The generated tests' one assertion: sends a request, counts its status under a label, and records as a failure any
/// 5xx, any 4xx not in its <see cref="RefusalShape"/> (a Problem must be <c>application/problem+json</c> with a
/// <c>type</c>), and any 200 on /mcp that is not one JSON-RPC answer. Safe to use from concurrent senders.
/// </summary>
internal sealed class AnswerLedger
{
    private readonly Lock _gate = new();
    private readonly List<string> _failures = [];
    private readonly SortedDictionary<string, SortedDictionary<int, int>> _statuses = new(StringComparer.Ordinal);

    public int Sent { get; private set; }

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_gate)
            {
                return [.. _failures];
            }
        }
    }

    public IReadOnlyList<string> Labels
    {
        get
        {
            lock (_gate)
            {
                return [.. _statuses.Keys];
            }
        }
    }

    /// <summary>The statuses seen under <paramref name="label"/>.</summary>
    public IReadOnlyDictionary<int, int> Statuses(string label)
    {
        lock (_gate)
        {
            return _statuses.TryGetValue(label, out var counts) ? new SortedDictionary<int, int>(counts) : [];
        }
    }

    /// <summary>The statuses seen under every label together.</summary>
    public SortedDictionary<int, int> Totals()
    {
        lock (_gate)
        {
            var totals = new SortedDictionary<int, int>();
            foreach (var (status, count) in _statuses.Values.SelectMany(c => c))
            {
                totals[status] = totals.GetValueOrDefault(status) + count;
            }

            return totals;
        }
    }

    /// <summary>Every label's statuses, one line each (for the test output and assertion messages).</summary>
    public string Summary()
    {
        lock (_gate)
        {
            return string.Join("\n", _statuses.Select(l => l.Key + ": " + string.Join(", ", l.Value.Select(s => $"{s.Key}×{s.Value}"))));
        }
    }

    public async Task SendAsync(HttpClient client, HttpRequestMessage request, string label, RefusalShape shape, string description)
    {
        HttpResponseMessage answer;
        try
        {
            answer = await client.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            // Only the front end of the in-process host or the client can throw here; report it with the request.
            lock (_gate)
            {
                Sent++;
                _failures.Add($"{Truncate(description)} -> threw {e.GetType().Name}: {e.Message}");
            }

            return;
        }

        using var response = answer;
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var problem = Check(request, response, status, text, shape);
        lock (_gate)
        {
            Sent++;
            var counts = _statuses.TryGetValue(label, out var found) ? found : _statuses[label] = [];
            counts[status] = counts.GetValueOrDefault(status) + 1;
            if (problem is not null)
            {
                _failures.Add($"{Truncate(description)} -> {status} {problem}: {Truncate(text)}");
            }
        }
    }

    private static string? Check(HttpRequestMessage request, HttpResponseMessage response, int status, string text, RefusalShape shape)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (status >= 500)
        {
            return "server error";
        }

        if (status is >= 400 and < 500)
        {
            if (mediaType == "application/problem+json")
            {
                return request.Method == HttpMethod.Head || Member(text, "type") is { Length: > 0 } || IsHostAnswer(status, text) ? null : "a Problem without a type";
            }

            return shape == RefusalShape.ProblemOrJsonRpcError && mediaType == "application/json" && IsJsonRpcError(text)
                ? null
                : $"a refusal that is not a Problem ({mediaType ?? "no body"})";
        }

        return status == 200 && shape == RefusalShape.ProblemOrJsonRpcError && request.Method == HttpMethod.Post && !OneJsonRpcAnswer(mediaType, text)
            ? "a 200 without one JSON-RPC answer"
            : null;
    }

    /// <summary>
    /// The Functions host's own 404 (no route) or 405 (not the route's method): the request never reached the app, and the
    /// host writes no <c>type</c> (docs/spec/api.md, "Problems"; in Azure its body is not even a Problem).
    /// </summary>
    private static bool IsHostAnswer(int status, string text) =>
        (status, Member(text, "title")) is (404, "No function serves this path") or (405, "Method not allowed");

    private static string? Member(string json, string name)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJsonRpcError(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject o && o["error"] is JsonObject e && e["code"] is JsonValue && e["message"] is JsonValue;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>One server-sent event (or one JSON body) that is a JSON-RPC response or error.</summary>
    private static bool OneJsonRpcAnswer(string? mediaType, string body)
    {
        var data = mediaType == "text/event-stream"
            ? body.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..]).ToList()
            : [body];
        try
        {
            return data.Count == 1 && JsonNode.Parse(data[0]) is JsonObject message && (message.ContainsKey("result") || message.ContainsKey("error"));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Truncate(string text) => text.Length <= 240 ? text : text[..240] + "…";
}
