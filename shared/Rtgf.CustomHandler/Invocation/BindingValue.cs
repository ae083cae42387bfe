using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Rtgf.CustomHandler.Invocation;

/// <summary>
/// A value from an invocation's <c>Data</c> or <c>Metadata</c>, with the host's string encoding undone.
/// The host sends most values through <c>JsonConvert.SerializeObject</c>, so text arrives as a JSON string
/// holding a JSON string (<c>"\"abc\""</c>), numbers as <c>"1"</c>, and message bodies double-encoded;
/// dates, objects and the timer's data arrive as plain JSON. <see cref="Decoded"/> is the value underneath
/// in every case, and single-encoded values (as some hosts and tools send) decode to themselves.
/// </summary>
public readonly struct BindingValue
{
    public BindingValue(JsonElement raw)
    {
        Raw = raw;
        Decoded = Decode(raw);
    }

    /// <summary>The value exactly as it appeared in the envelope.</summary>
    public JsonElement Raw { get; }

    /// <summary>The value with the host's encoding removed.</summary>
    public JsonElement Decoded { get; }

    public bool IsNull => Decoded.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    /// <summary>Text: a string's content, or the JSON text of any other value; null for null.</summary>
    public string? AsText() => Decoded.ValueKind switch
    {
        JsonValueKind.String => Decoded.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => Decoded.GetRawText(),
    };

    public int? AsInt32() =>
        Decoded.ValueKind == JsonValueKind.Number && Decoded.TryGetInt32(out var n) ? n
        : Decoded.ValueKind == JsonValueKind.String && int.TryParse(Decoded.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m
        : null;

    public long? AsInt64() =>
        Decoded.ValueKind == JsonValueKind.Number && Decoded.TryGetInt64(out var n) ? n
        : Decoded.ValueKind == JsonValueKind.String && long.TryParse(Decoded.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m
        : null;

    public bool? AsBoolean() => Decoded.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(Decoded.GetString(), out var b) => b,
        _ => null,
    };

    public DateTimeOffset? AsDateTimeOffset() =>
        Decoded.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(Decoded.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    /// <summary>The bytes of a base64 value (a binary binding, <c>"dataType": "binary"</c>).</summary>
    public byte[] AsBytes() => Decoded.ValueKind == JsonValueKind.String
        ? Convert.FromBase64String(Decoded.GetString()!)
        : throw new FormatException($"A {Decoded.ValueKind} value is not base64 bytes.");

    /// <summary>
    /// Deserialises the value: a decoded string is read as JSON text (a message body), anything else as is.
    /// Throws <see cref="JsonException"/> when the text is not JSON of that shape.
    /// </summary>
    public T? Deserialize<T>(JsonTypeInfo<T> typeInfo) => Decoded.ValueKind == JsonValueKind.String
        ? JsonSerializer.Deserialize(Decoded.GetString()!, typeInfo)
        : Decoded.Deserialize(typeInfo);

    public override string ToString() => AsText() ?? "null";

    private static JsonElement Decode(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value;
        }

        var text = value.GetString()!;
        if (!LooksLikeJson(text))
        {
            return value;
        }

        try
        {
            // One level of encoding is removed: if that yields a string, it is the real text (never parsed again).
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException)
        {
            return value;
        }
    }

    // Avoids an exception per plain string; anything that could be JSON is tried.
    private static bool LooksLikeJson(string text)
    {
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return false;
        }

        return span[0] is '"' or '{' or '[' or '-' or (>= '0' and <= '9') || span is "true" or "false" or "null";
    }
}
