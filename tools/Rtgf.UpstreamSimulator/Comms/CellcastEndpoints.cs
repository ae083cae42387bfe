using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rtgf.UpstreamSimulator.Comms;

/// <summary>
/// Cellcast's v3 send, <c>POST /api/v3/send-sms</c> (docs/research/comms.md): the <c>APPKEY</c> header, a JSON body
/// (<c>sms_text</c>, <c>numbers</c> as an array, optional <c>from</c>), and Cellcast's envelope
/// <c>{meta: {code, status}, msg, data}</c>: <c>SUCCESS</c> with the queued messages, or <c>AUTH_FAILED</c>,
/// <c>FIELD_EMPTY</c>, <c>FIELD_INVALID</c>. Cellcast has no idempotency key: every accepted request is a text sent.
/// </summary>
internal static partial class CellcastEndpoints
{
    public const string SendPath = "/api/v3/send-sms";

    public static void Map(WebApplication app, CommsRecorder recorder, SimulatorOptions options) =>
        app.MapPost(SendPath, (HttpRequest request) => SendAsync(request.HttpContext, recorder, options));

    private static async Task<IResult> SendAsync(HttpContext context, CommsRecorder recorder, SimulatorOptions options)
    {
        var appKey = context.Request.Headers["APPKEY"].ToString();
        if (appKey.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(appKey), Encoding.UTF8.GetBytes(options.CellcastApiKey)))
        {
            return Error(401, "AUTH_FAILED", "APPKEY you have provided is invalid");
        }

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Error(400, "FIELD_INVALID", "Invalid JSON body");
        }

        var text = body["sms_text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        if (string.IsNullOrEmpty(text))
        {
            return Error(400, "FIELD_EMPTY", "Required field sms_text is empty");
        }

        if (body["numbers"] is not JsonArray { Count: > 0 } numbers)
        {
            return Error(400, "FIELD_EMPTY", "Required field numbers is empty");
        }

        var to = numbers.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : string.Empty).ToList();
        if (to.Count > 1000 || to.Any(n => !Number().IsMatch(n)))
        {
            return Error(400, "FIELD_INVALID", "Invalid number in numbers");
        }

        var from = body["from"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null;
        var messages = new JsonArray();
        lock (recorder.Gate)
        {
            foreach (var number in to)
            {
                var id = recorder.NextId("sms");
                recorder.Add(new SentSms(id, from, number, text));
                messages.Add(new JsonObject
                {
                    ["message_id"] = id,
                    ["from"] = from ?? "#SharedNum#",
                    ["to"] = number,
                    ["body"] = text,
                    ["date"] = options.Clock.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    ["custom_string"] = string.Empty,
                    ["direction"] = "out",
                });
            }
        }

        var answer = new JsonObject
        {
            ["meta"] = new JsonObject { ["code"] = 200, ["status"] = "SUCCESS" },
            ["msg"] = "Queued",
            ["data"] = new JsonObject
            {
                ["messages"] = messages,
                ["total_numbers"] = to.Count,
                ["success_number"] = to.Count,
                ["credits_used"] = to.Count,
            },
        };
        return Results.Text(answer.ToJsonString(), "application/json");
    }

    private static IResult Error(int status, string code, string message) => Results.Text(
        new JsonObject { ["meta"] = new JsonObject { ["code"] = status, ["status"] = code }, ["msg"] = message, ["data"] = new JsonArray() }.ToJsonString(),
        "application/json",
        statusCode: status);

    /// <summary>The formats Cellcast accepts: <c>+61400000000</c>, <c>61400000000</c>, <c>0400000000</c>, or another country's E.164.</summary>
    [GeneratedRegex(@"^\+?[0-9]{8,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
