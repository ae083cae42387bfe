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

    /// <summary>The ISO 8601 instants accepted: date and time (optional fraction) with <c>Z</c> or an offset; nothing else.</summary>
    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    /// <summary>An ISO 8601 instant with <c>Z</c> or an offset (or null); anything else (a local time, a date, <c>03/04/2026</c>) is refused rather than guessed.</summary>
    public static DateTimeOffset? OptionalInstant(JsonElement parent, string name, string what) =>
        OptionalString(parent, name, what) is not { } text ? null
        : DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant) ? instant
        : throw new UpstreamFormatException($"{what}: '{name}' is not an ISO 8601 instant with Z or an offset.");

    /// <summary>A whole number that fits an <see cref="int"/>; a fraction or an overflow is refused.</summary>
    public static int Int32(JsonElement parent, string name, string what) =>
        Member(parent, name, JsonValueKind.Number, what).TryGetInt32(out var value) ? value : throw new UpstreamFormatException($"{what}: '{name}' is not a whole number in range.");

    /// <summary>The longest text kept from a proxy's free-text member (title, description, types); longer text is clipped with "…".</summary>
    public const int MaxText = 500;

    /// <summary>The longest URL accepted from a proxy; a longer one is refused (a clipped URL would point elsewhere).</summary>
    public const int MaxUrl = 2048;

    public static string? ClipText(string? text) => text is null || text.Length <= MaxText ? text : text[..(MaxText - 1)] + "…";

    public static string Url(string url, string name, string what) =>
        url.Length <= MaxUrl ? url : throw new UpstreamFormatException($"{what}: '{name}' is longer than {MaxUrl} characters.");

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString(),
    };
}
