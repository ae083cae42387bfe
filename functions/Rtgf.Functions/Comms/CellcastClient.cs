using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Comms;

/// <summary>
/// Cellcast's SMS API, v3 (docs/research/comms.md): <c>POST {Cellcast:ApiBase}/api/v3/send-sms</c> with the <c>APPKEY</c>
/// header, <c>{"sms_text", "numbers": [to], "from"?}</c>, answered by Cellcast's envelope <c>{meta: {code, status}, msg,
/// data}</c>, through the outbound pipeline (upstream <c>cellcast</c>). Cellcast has no idempotency key, so the pipeline
/// never retries the POST: a 429 or 5xx answer (nothing sent) and a refused APPKEY (a setting to fix) are
/// <see cref="CommsFailure.Retry"/>, another 4xx is <see cref="CommsFailure.Permanent"/>, and no answer at all is
/// <see cref="CommsFailure.Ambiguous"/> (the text may be on its way; the sender does not send it again). A 200 whose body
/// cannot be read counts as sent (Cellcast accepted it). Without <c>Cellcast:ApiKey</c>, <see cref="Problem"/> says so.
/// </summary>
public sealed class CellcastClient
{
    public const string ApiKeySetting = "Cellcast:ApiKey";
    public const string ApiBaseSetting = "Cellcast:ApiBase";
    public const string FromSetting = "Cellcast:From";
    public const string DefaultApiBase = "https://cellcast.com.au/";

    /// <summary>The id recorded when Cellcast accepted a text but its answer could not be read.</summary>
    public const string UnknownId = "unknown";

    private readonly HttpClient? _http;
    private readonly string _apiKey;
    private readonly string? _from;

    private CellcastClient(HttpClient? http, string apiKey, string? from, string problem)
    {
        _http = http;
        _apiKey = apiKey;
        _from = from;
        Problem = problem;
    }

    public string Problem { get; }

    public static CellcastClient FromConfiguration(IConfiguration configuration, OutboundHttpClientFactory outbound)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(outbound);
        if (string.IsNullOrWhiteSpace(configuration[ApiKeySetting]))
        {
            return new CellcastClient(null, string.Empty, null, $"SMS is not configured: the setting {ApiKeySetting} is missing.");
        }

        var apiBase = ProviderSettings.ApiBase(configuration, ApiBaseSetting, DefaultApiBase);
#pragma warning disable CA2000 // The client lives as long as the app (a singleton) and owns the pipeline's HttpClient.
        var http = outbound.CreateClient(ProviderSettings.Outbound(configuration, "Cellcast", "cellcast", apiBase));
#pragma warning restore CA2000
        return new CellcastClient(http, configuration[ApiKeySetting]!, configuration[FromSetting] is { Length: > 0 } from ? from : null, string.Empty);
    }

    /// <summary>Sends one text to <paramref name="to"/>; Cellcast's message id (or <see cref="UnknownId"/>).</summary>
    public async Task<string> SendAsync(string to, string text, CancellationToken cancellationToken)
    {
        var http = _http ?? throw new CommsSendException(Problem, CommsFailure.Retry);
        var body = new JsonObject { ["sms_text"] = text, ["numbers"] = new JsonArray(to) };
        if (_from is not null)
        {
            body["from"] = _from;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v3/send-sms")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("APPKEY", _apiKey);
        request.WithOperation("POST /api/v3/send-sms"); // not retry-safe: a retried POST could text twice

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = SendFailures.Classify(e);
            throw new CommsSendException(
                failure == CommsFailure.Retry
                    ? $"Cellcast was not reached ({e.GetType().Name}): nothing sent, retried."
                    : $"Cellcast did not answer ({e.GetType().Name}); the text may have been sent, so it is not sent again.",
                failure,
                e);
        }

        using (response)
        {
            var answer = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
            var status = answer?["meta"]?["status"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
            if (response.IsSuccessStatusCode && status is null or "SUCCESS")
            {
                return answer?["data"]?["messages"] is JsonArray { Count: > 0 } messages && messages[0]?["message_id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String
                    ? id.GetValue<string>()
                    : UnknownId;
            }

            var code = (int)response.StatusCode;
            var message = answer?["msg"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : string.Empty;
            var failure = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || code >= 500 || status is "OVER_LIMIT" or "AUTH_FAILED"
                ? CommsFailure.Retry
                : CommsFailure.Permanent;
            throw new CommsSendException($"Cellcast refused the text: HTTP {code} {status ?? "(no status)"}: {new string([.. message.Take(200).Select(c => char.IsControl(c) ? ' ' : c)])}", failure);
        }
    }

    private static async Task<JsonObject?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
