using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>A message taken from a queue for delivery to a function.</summary>
internal sealed record DeliveredMessage(string Body, string MessageId, string PopReceipt, long DeliveryCount, DateTimeOffset InsertedOn, DateTimeOffset? ExpiresOn, DateTimeOffset NextVisibleOn);

/// <summary>A timer's schedule status, as the host persists it and passes it to the function.</summary>
internal sealed record TimerStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);

/// <summary>An HTTP request as the host describes it in an envelope (functions it does not forward).</summary>
internal sealed record EnvelopeHttpRequest(
    Uri Url,
    string Method,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Headers,
    IReadOnlyDictionary<string, string> Params,
    string Body);

/// <summary>
/// Builds invocation envelopes exactly as the Functions host does (ScriptInvocationContextExtensions): strings
/// and numbers go through JsonConvert.SerializeObject, so they arrive as JSON strings holding JSON ("\"abc\"",
/// "1"); dates as ISO strings; objects as objects. Metadata skips nulls, and a JSON message body's top-level
/// properties are merged into it and overwrite the system keys, as the host's binding data does.
/// </summary>
internal static class HostEnvelopes
{
    public const string HostVersion = "4.1044.0";

    /// <summary>Escapes like Newtonsoft (\" rather than \u0022): the envelope goes to the handler on loopback, never into HTML.</summary>
    public static readonly JsonSerializerOptions Wire = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Timer(string functionName, string bindingName, TimerStatus? status, bool isPastDue, DateTimeOffset now, string randGuid)
    {
        var timer = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = status is null
                ? null
                : new JsonObject { ["Last"] = Date(status.Last), ["Next"] = Date(status.Next), ["LastUpdated"] = Date(status.LastUpdated) },
            ["IsPastDue"] = isPastDue,
        };
        return Envelope(new JsonObject { [bindingName] = timer }, new JsonObject(), functionName, now, randGuid);
    }

    /// <summary>A Service Bus or Storage queue message's envelope, as the trigger type decides.</summary>
    public static JsonObject QueueMessage(bool isServiceBus, string functionName, string bindingName, DeliveredMessage message, DateTimeOffset now, string randGuid) =>
        isServiceBus
            ? ServiceBusMessage(functionName, bindingName, message, now, randGuid)
            : StorageQueueMessage(functionName, bindingName, message, now, randGuid);

    public static JsonObject ServiceBusMessage(string functionName, string bindingName, DeliveredMessage message, DateTimeOffset now, string randGuid)
    {
        var metadata = new JsonObject
        {
            ["DeliveryCount"] = Value(message.DeliveryCount),
            ["LockToken"] = Value(message.PopReceipt),
            ["MessageId"] = Value(message.MessageId),
            ["EnqueuedTimeUtc"] = Date(message.InsertedOn),
            ["ExpiresAtUtc"] = message.ExpiresOn is { } expires ? Date(expires) : null,
            ["ApplicationProperties"] = new JsonObject(),
            ["UserProperties"] = new JsonObject(),
        };
        MergeBodyProperties(metadata, message.Body);
        return Envelope(new JsonObject { [bindingName] = Value(message.Body) }, metadata, functionName, now, randGuid);
    }

    public static JsonObject StorageQueueMessage(string functionName, string bindingName, DeliveredMessage message, DateTimeOffset now, string randGuid)
    {
        var metadata = new JsonObject
        {
            ["DequeueCount"] = Value(message.DeliveryCount),
            ["ExpirationTime"] = message.ExpiresOn is { } expires ? Date(expires) : null,
            ["Id"] = Value(message.MessageId),
            ["InsertionTime"] = Date(message.InsertedOn),
            ["NextVisibleTime"] = Date(message.NextVisibleOn),
            ["PopReceipt"] = Value(message.PopReceipt),
        };
        MergeBodyProperties(metadata, message.Body);
        return Envelope(new JsonObject { [bindingName] = Value(message.Body) }, metadata, functionName, now, randGuid);
    }

    public static JsonObject Http(string functionName, string bindingName, EnvelopeHttpRequest request, DateTimeOffset now, string randGuid)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
        }

        var req = new JsonObject
        {
            ["Url"] = request.Url.AbsoluteUri,
            ["Method"] = request.Method,
            ["Query"] = StringMap(request.Query),
            ["Headers"] = headers,
            ["Params"] = StringMap(request.Params),
            ["Identities"] = new JsonArray(),
            ["Body"] = request.Body,
        };
        return Envelope(new JsonObject { [bindingName] = req }, new JsonObject(), functionName, now, randGuid);
    }

    /// <summary>A value as the host writes it: JsonConvert.SerializeObject for strings and numbers (a JSON string holding JSON).</summary>
    public static JsonNode? Value(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(JsonSerializer.Serialize(s, Wire)),
        bool b => JsonValue.Create(b ? "true" : "false"),
        int or long or double => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
        DateTimeOffset t => Date(t),
        JsonNode node => node.DeepClone(),
        _ => throw new ArgumentException($"No host encoding for {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>Newtonsoft's default ISO form for a DateTimeOffset ("2019-10-16T17:58:31.1+00:00").</summary>
    public static JsonNode Date(DateTimeOffset value) =>
        JsonValue.Create(value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

    private static JsonObject Envelope(JsonObject data, JsonObject metadata, string functionName, DateTimeOffset now, string randGuid)
    {
        // The host leaves null values out of Metadata.
        foreach (var key in metadata.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            metadata.Remove(key);
        }

        metadata["sys"] = new JsonObject
        {
            ["MethodName"] = functionName,
            ["UtcNow"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["RandGuid"] = randGuid,
        };
        return new JsonObject { ["Data"] = data, ["Metadata"] = metadata };
    }

    // Binding data from the body's properties takes precedence over the trigger's own keys (PocoTriggerArgumentBinding).
    private static void MergeBodyProperties(JsonObject metadata, string body)
    {
        if (!body.AsSpan().TrimStart().StartsWith("{"))
        {
            return;
        }

        JsonObject? properties;
        try
        {
            properties = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return;
        }

        foreach (var (name, value) in properties ?? [])
        {
            if (value is null)
            {
                continue;
            }

            foreach (var existing in metadata.Select(p => p.Key).Where(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                metadata.Remove(existing);
            }

            metadata[name] = value.GetValueKind() switch
            {
                JsonValueKind.String => Value(value.GetValue<string>()),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => JsonValue.Create(value.ToJsonString()),
                _ => value.DeepClone(),
            };
        }
    }

    private static JsonObject StringMap(IReadOnlyDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (name, value) in values)
        {
            map[name] = value;
        }

        return map;
    }
}
