using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Comms;

/// <summary>
/// Resend's send API (docs/research/comms.md): <c>POST {Resend:ApiBase}/emails</c> with <c>Authorization: Bearer
/// {Resend:ApiKey}</c> and <c>Idempotency-Key</c>, from <c>Resend:From</c>, through the outbound pipeline (upstream
/// <c>resend</c>: the request carries an idempotency key, so 429 (honouring <c>retry-after</c>), 5xx and network failures
/// are retried there). Resend's error body <c>{statusCode, message, name}</c> becomes a <see cref="CommsSendException"/>:
/// 429, 5xx, 401/403 (our key: a setting to fix) and 409 <c>concurrent_idempotent_requests</c> are retried; any other 4xx
/// is permanent. Without <c>Resend:ApiKey</c> or <c>Resend:From</c>, <see cref="Problem"/> names the missing setting.
/// </summary>
public sealed class ResendClient
{
    public const string ApiKeySetting = "Resend:ApiKey";
    public const string FromSetting = "Resend:From";
    public const string ApiBaseSetting = "Resend:ApiBase";
    public const string DefaultApiBase = "https://api.resend.com/";

    /// <summary>Resend's longest idempotency key; a longer one of ours is sent as its SHA-256.</summary>
    public const int MaxIdempotencyKey = 256;

    private readonly HttpClient? _http;
    private readonly string _apiKey;
    private readonly string _from;

    private ResendClient(HttpClient? http, string apiKey, string from, string problem)
    {
        _http = http;
        _apiKey = apiKey;
        _from = from;
        Problem = problem;
    }

    /// <summary>Why this client cannot send (a missing setting), or empty.</summary>
    public string Problem { get; }

    public static ResendClient FromConfiguration(IConfiguration configuration, OutboundHttpClientFactory outbound)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(outbound);
        var missing = new[] { ApiKeySetting, FromSetting }.Where(s => string.IsNullOrWhiteSpace(configuration[s])).ToList();
        if (missing.Count > 0)
        {
            return new ResendClient(null, string.Empty, string.Empty, $"Email is not configured: the setting {string.Join(" and ", missing)} is missing.");
        }

        var from = configuration[FromSetting]!;
        if (from.Any(char.IsControl))
        {
            throw new InvalidOperationException($"The setting {FromSetting} must be one line (an address, or 'Name <address>').");
        }

        var apiBase = ProviderSettings.ApiBase(configuration, ApiBaseSetting, DefaultApiBase);
#pragma warning disable CA2000 // The client lives as long as the app (a singleton) and owns the pipeline's HttpClient.
        var http = outbound.CreateClient(ProviderSettings.Outbound(configuration, "Resend", "resend", apiBase));
#pragma warning restore CA2000
        return new ResendClient(http, configuration[ApiKeySetting]!, from, string.Empty);
    }

    /// <summary>Sends one email to <paramref name="to"/>; Resend's email id. A second call with the same key sends nothing and answers the same id.</summary>
    public async Task<string> SendAsync(string to, RenderedEmail email, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var http = _http ?? throw new CommsSendException(Problem, CommsFailure.Retry);
        var body = new JsonObject
        {
            ["from"] = _from,
            ["to"] = new JsonArray(to),
            ["subject"] = email.Subject,
            ["text"] = email.Text,
            ["html"] = email.Html,
        };
        if (email.Headers.Count > 0)
        {
            // Only when there are any: every other email's body (and so its idempotency fingerprint) stays as it was.
            var headers = new JsonObject();
            foreach (var (name, value) in email.Headers)
            {
                headers[name] = value;
            }

            body["headers"] = headers;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "emails")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", ProviderKey(idempotencyKey));
        request.WithOperation("POST /emails", retrySafe: true); // the idempotency key makes a retried POST send once

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
                    ? $"Resend was not reached ({e.GetType().Name}): retried."
                    : $"Resend did not answer ({e.GetType().Name}); the email may have been accepted: retried with the same idempotency key.",
                failure,
                e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return Id(text) ?? throw new CommsSendException($"Resend answered HTTP {(int)response.StatusCode} without an email id: retried with the same idempotency key.", CommsFailure.Ambiguous);
            }

            var (name, message) = Error(text);
            var status = (int)response.StatusCode;
            var failure = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || status >= 500 || name == "concurrent_idempotent_requests"
                ? CommsFailure.Retry
                : CommsFailure.Permanent;
            throw new CommsSendException($"Resend refused the email: HTTP {status} {name}: {CommsRedaction.MaskAddresses(message)}", failure);
        }
    }

    /// <summary>Our key as Resend takes it: as is when it fits (1–256 printable ASCII characters), else <c>sha256-</c> and its digest.</summary>
    public static string ProviderKey(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return idempotencyKey.Length <= MaxIdempotencyKey && idempotencyKey.All(c => c is >= '!' and <= '~')
            ? idempotencyKey
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
    }

    private static string? Id(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject { } o && o["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } id ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Resend's <c>{statusCode, message, name}</c>, or the start of whatever else answered (a proxy, a gateway).</summary>
    private static (string Name, string Message) Error(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject o && o["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String)
            {
                return (name.GetValue<string>(), o["message"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : string.Empty);
            }
        }
        catch (JsonException)
        {
            // not Resend's error body
        }

        var start = new string([.. text.Take(200).Select(c => char.IsControl(c) ? ' ' : c)]);
        return ("unknown", start);
    }
}
