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
/// never retries the POST: a 429, <c>OVER_LIMIT</c> (nothing sent) and a refused APPKEY (401/403, <c>AUTH_FAILED</c>: a
/// setting to fix) are <see cref="CommsFailure.Retry"/>; a 5xx (Cellcast may have queued the text before failing) and no
/// answer at all are <see cref="CommsFailure.Ambiguous"/> (the sender does not send it again); another 4xx is
/// <see cref="CommsFailure.Permanent"/>. A cancellation before the body left is a Retry, after it Ambiguous. Cellcast's
/// <c>msg</c> is quoted with digit runs masked (it may repeat the number). A 200 whose body
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

        var content = new WatchedContent(new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v3/send-sms") { Content = content };
        request.Headers.TryAddWithoutValidation("APPKEY", _apiKey);
        request.WithOperation("POST /api/v3/send-sms"); // not retry-safe: a retried POST could text twice

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            // Until its body is written, the request has not left (it may have waited for a limiter slot): nothing sent.
            throw content.Started
                ? new CommsSendException("The try was cancelled while Cellcast was being sent the text; it may have been sent, so it is not sent again.", CommsFailure.Ambiguous, e)
                : new CommsSendException("The try was cancelled before the text left: nothing sent, retried.", CommsFailure.Retry, e);
        }
        catch (Exception e)
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
            var failure = Classify(response.StatusCode, status);
            var quoted = CommsRedaction.MaskDigits(new string([.. message.Take(200).Select(c => char.IsControl(c) ? ' ' : c)]));
            throw new CommsSendException(
                failure == CommsFailure.Ambiguous
                    ? $"Cellcast failed with HTTP {code} {status ?? "(no status)"}: {quoted}; it may have queued the text, so it is not sent again."
                    : $"Cellcast refused the text: HTTP {code} {status ?? "(no status)"}: {quoted}",
                failure);
        }
    }

    /// <summary>What a refusal means: only answers that say nothing was accepted are retried (Cellcast has no idempotency key).</summary>
    public static CommsFailure Classify(HttpStatusCode statusCode, string? status) =>
        statusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || status is "OVER_LIMIT" or "AUTH_FAILED" ? CommsFailure.Retry
        : (int)statusCode >= 500 ? CommsFailure.Ambiguous
        : CommsFailure.Permanent;

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

/// <summary>A request body that notes when it starts being written: before that, the request has certainly not reached Cellcast.</summary>
internal sealed class WatchedContent : HttpContent
{
    private readonly HttpContent _inner;
    private int _started;

    public WatchedContent(HttpContent inner)
    {
        _inner = inner;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    public bool Started => Volatile.Read(ref _started) == 1;

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _started, 1);
        await _inner.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
