using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>
/// Talks to the handler as the host does: envelopes to <c>POST /{function}</c> with the host's headers, judged
/// as the host judges them (non-2xx, non-JSON or malformed answers fail the invocation).
/// </summary>
internal sealed class HandlerClient(HttpClient http, TimeProvider timeProvider)
{
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    public async Task<InvocationOutcome> InvokeAsync(string functionName, JsonObject envelope, string invocationId, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + functionName)
        {
            Content = new StringContent(envelope.ToJsonString(HostEnvelopes.Wire), Encoding.UTF8, "application/json"),
        };
        AddHostHeaders(request, invocationId);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var elapsed = timeProvider.GetElapsedTime(started);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return InvocationOutcome.Failed($"the handler answered {status}{ProblemSummary(body)}", elapsed, status);
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/json")
            {
                return InvocationOutcome.Failed($"the handler answered {response.Content.Headers.ContentType?.MediaType ?? "no content type"}; the host requires application/json", elapsed, status);
            }

            if (JsonNode.Parse(body) is not JsonObject result)
            {
                return InvocationOutcome.Failed("the handler's answer is not a JSON object", elapsed, status);
            }

            // The host reads Outputs/Logs/ReturnValue case-insensitively (Newtonsoft).
            var outputs = Property(result, "Outputs") as JsonObject;
            var logs = Property(result, "Logs") is JsonArray lines ? lines.Select(l => l?.ToString() ?? string.Empty).ToList() : [];
            return new InvocationOutcome(true, status, outputs, logs, null, elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return InvocationOutcome.Failed($"the handler could not be reached or answered badly: {e.Message}", timeProvider.GetElapsedTime(started));
        }
    }

    /// <summary>Sends an already-built request (forwarded HTTP) with the host's headers.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string invocationId, CancellationToken cancellationToken)
    {
        AddHostHeaders(request, invocationId);
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static void AddHostHeaders(HttpRequestMessage request, string invocationId)
    {
        request.Headers.Remove(InvocationIdHeader);
        request.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-HostVersion", HostEnvelopes.HostVersion);
        if (request.Headers.UserAgent.Count == 0)
        {
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Azure-Functions-Host", HostEnvelopes.HostVersion));
        }
    }

    private static JsonNode? Property(JsonObject result, string name) =>
        result.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string ProblemSummary(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject problem && problem["title"] is { } title)
            {
                return $": {title}{(problem["detail"] is { } detail ? " (" + detail + ")" : string.Empty)}";
            }
        }
        catch (JsonException)
        {
        }

        return string.Empty;
    }
}
