using System.Globalization;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rtgf.UpstreamSimulator.Comms;

/// <summary>
/// Resend's send endpoint, <c>POST /emails</c> (docs/research/comms.md): <c>Authorization: Bearer</c> the API key, a JSON
/// body (<c>from</c>, <c>to</c> as a string or an array, <c>subject</c>, <c>text</c>, <c>html</c>), an optional
/// <c>Idempotency-Key</c> (1–256 characters: the same key and body answer the first response again and send nothing; the
/// same key with another body is 409 <c>invalid_idempotent_request</c>), <c>{"id"}</c> on success, and Resend's error
/// body <c>{statusCode, message, name}</c>. Every answer carries the rate-limit headers; <c>POST /_sim/comms/resend/rate-limit</c>
/// makes the next sends answer 429 <c>rate_limit_exceeded</c> with <c>retry-after</c>, as Resend does over its limit.
/// </summary>
internal static class ResendEndpoints
{
    public const string SendPath = "/emails";
    public const int Limit = 2; // Resend's default: 2 requests per second

    public static void Map(WebApplication app, CommsRecorder recorder, SimulatorOptions options)
    {
        var limited = new RateLimitedCount();
        app.MapPost(SendPath, (HttpRequest request) => SendAsync(request.HttpContext, recorder, limited, options.ResendApiKey));
        app.MapPost("/_sim/comms/resend/rate-limit", (HttpContext context) =>
        {
            var count = int.TryParse(context.Request.Query["count"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
            limited.Set(count);
            return Results.Text(new JsonObject { ["limitedSends"] = count }.ToJsonString(), "application/json");
        });
    }

    private static async Task<IResult> SendAsync(HttpContext context, CommsRecorder recorder, RateLimitedCount limited, string apiKey)
    {
        var headers = context.Response.Headers;
        headers["ratelimit-limit"] = Limit.ToString(CultureInfo.InvariantCulture);
        headers["ratelimit-reset"] = "1";
        if (limited.Take())
        {
            headers["ratelimit-remaining"] = "0";
            headers.RetryAfter = "1";
            return Error(429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.");
        }

        headers["ratelimit-remaining"] = (Limit - 1).ToString(CultureInfo.InvariantCulture);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Length == "Bearer ".Length)
        {
            return Error(401, "missing_api_key", "Missing API key in the authorization header. Include the following header Authorization: Bearer YOUR_API_KEY in the request.");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..]), Encoding.UTF8.GetBytes(apiKey)))
        {
            return Error(403, "invalid_api_key", "API key is invalid");
        }

        string? key = null;
        if (context.Request.Headers.TryGetValue("Idempotency-Key", out var keyHeader))
        {
            key = keyHeader.ToString();
            if (key.Length is 0 or > 256)
            {
                return Error(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
            }
        }

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Error(400, "validation_error", "Invalid JSON body.");
        }

        if ((Missing(body, "from") ?? Missing(body, "to") ?? Missing(body, "subject")) is { } missing)
        {
            return Error(422, "missing_required_field", $"Missing `{missing}` field.");
        }

        var to = body["to"] switch
        {
            JsonArray array => array.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : string.Empty).ToList(),
            JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
            _ => [string.Empty],
        };
        if (to.Count is 0 or > 50 || to.Any(t => !IsAddress(t)))
        {
            return Error(422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
        }

        var from = Text(body, "from")!;
        if (!IsAddress(from))
        {
            return Error(422, "validation_error", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
        }

        var (subject, text, html) = (Text(body, "subject")!, Text(body, "text"), Text(body, "html"));
        if (text is null && html is null)
        {
            return Error(422, "validation_error", "Missing `html` or `text` field.");
        }

        if (body["headers"] is { } headerNode && headerNode is not JsonObject)
        {
            return Error(422, "validation_error", "Invalid `headers` field.");
        }

        var emailHeaders = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in body["headers"] as JsonObject ?? [])
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                return Error(422, "validation_error", "Invalid `headers` field.");
            }

            emailHeaders[name] = v.GetValue<string>();
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', [from, string.Join('\u001e', to), subject, text ?? "\u0000", html ?? "\u0000", .. emailHeaders.Select(h => h.Key + ": " + h.Value)]))));
        string id;
        lock (recorder.Gate)
        {
            if (key is not null && recorder.Known(key) is { } known)
            {
                if (known.Fingerprint != fingerprint)
                {
                    return Error(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload. Change your idempotency key or payload.");
                }

                id = known.Id; // the first response again; nothing is sent
            }
            else
            {
                id = recorder.NextId("email");
                recorder.Add(new SentEmail(id, from, to, subject, text, html, key) { Headers = emailHeaders }, key is null ? null : fingerprint);
            }
        }

        return Results.Text(new JsonObject { ["id"] = id }.ToJsonString(), "application/json", statusCode: 200);
    }

    private static string? Missing(JsonObject body, string name) => body[name] is null ? name : null;

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary><c>email@example.com</c> or <c>Name &lt;email@example.com&gt;</c>, nothing else (no line breaks).</summary>
    private static bool IsAddress(string text) =>
        text.Length is > 0 and <= 320 && !text.Any(char.IsControl) && MailAddress.TryCreate(text, out var address) && address.Host.Contains('.', StringComparison.Ordinal);

    private static IResult Error(int status, string name, string message) =>
        Results.Text(new JsonObject { ["statusCode"] = status, ["message"] = message, ["name"] = name }.ToJsonString(), "application/json", statusCode: status);

    /// <summary>How many more sends answer 429 (set by the admin route).</summary>
    private sealed class RateLimitedCount
    {
        private int _left;

        public void Set(int count) => Interlocked.Exchange(ref _left, count);

        public bool Take()
        {
            while (true)
            {
                var left = Volatile.Read(ref _left);
                if (left <= 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _left, left - 1, left) == left)
                {
                    return true;
                }
            }
        }
    }
}
