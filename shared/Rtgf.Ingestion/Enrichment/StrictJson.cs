using System.Globalization;
using System.Text.Json;

namespace Rtgf.Ingestion.Enrichment;

/// <summary>Strict readers over a parsed JSON answer: a missing or mistyped member is an <see cref="UpstreamFormatException"/> naming it.</summary>
internal static class StrictJson
{
    public static JsonDocument Parse(byte[] body, string what)
    {
        try
        {
            var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new UpstreamFormatException($"{what}: the answer is not a JSON object.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new UpstreamFormatException($"{what}: the answer is not JSON ({e.Message}).", e);
        }
    }

    public static JsonElement Member(JsonElement parent, string name, JsonValueKind kind, string what)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != kind)
        {
            throw new UpstreamFormatException($"{what}: '{name}' is missing or not {Kind(kind)}.");
        }

        return value;
    }

    public static string String(JsonElement parent, string name, string what) => Member(parent, name, JsonValueKind.String, what).GetString()!;

    /// <summary>A string member that may be absent or null.</summary>
    public static string? OptionalString(JsonElement parent, string name, string what)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new UpstreamFormatException($"{what}: '{name}' is not a string.");
    }

    public static bool Boolean(JsonElement parent, string name, string what) => parent.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
        ? value.GetBoolean()
        : throw new UpstreamFormatException($"{what}: '{name}' is missing or not a boolean.");

    public static bool OptionalBoolean(JsonElement parent, string name, string what) => !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
        ? false
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw new UpstreamFormatException($"{what}: '{name}' is not a boolean.");

    public static decimal Number(JsonElement parent, string name, string what) =>
        Member(parent, name, JsonValueKind.Number, what).TryGetDecimal(out var value) ? value : throw new UpstreamFormatException($"{what}: '{name}' is out of range.");

    /// <summary>An ISO 8601 instant (or null); anything else is refused rather than guessed.</summary>
    public static DateTimeOffset? OptionalInstant(JsonElement parent, string name, string what) =>
        OptionalString(parent, name, what) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant) ? instant
        : throw new UpstreamFormatException($"{what}: '{name}' is not an ISO 8601 instant.");

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString(),
    };
}
