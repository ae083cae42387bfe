using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>
/// Turns an output value into the messages the host would send (FunctionBinding.ReadAsEnumerable and
/// HttpScriptInvocationResultExtensions.GetBindingValue), traps included:
/// an array is one message per element; an object is one message, re-serialised (indented, as JToken.ToString);
/// a string that parses as a JSON array is split; and a string that is valid base64 is decoded to bytes unless
/// the binding's dataType is binary, which corrupts the message. That last case is reproduced, with a warning,
/// so a handler that would break under the host breaks here too.
/// </summary>
internal static class OutputMessages
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IReadOnlyList<BinaryData> From(JsonNode? value, bool binaryDataType, Action<string> warn)
    {
        switch (value)
        {
            case null:
                return [];
            case JsonArray items:
                return [.. items.Select(Element)];
            case JsonObject:
                return [Element(value)];
        }

        if (value.GetValueKind() != JsonValueKind.String)
        {
            return [BinaryData.FromString(value.ToJsonString())];
        }

        var text = value.GetValue<string>();
        if (!binaryDataType && IsBase64(text))
        {
            warn($"the output string '{Truncate(text)}' is valid base64, so the host decodes it to bytes before sending: send a JSON object instead");
            return [new BinaryData(Convert.FromBase64String(text))];
        }

        if (text.AsSpan().TrimStart().StartsWith("["))
        {
            try
            {
                if (JsonNode.Parse(text) is JsonArray array)
                {
                    return [.. array.Select(Element)];
                }
            }
            catch (JsonException)
            {
            }
        }

        return [BinaryData.FromString(text)];
    }

    private static BinaryData Element(JsonNode? element) => element switch
    {
        null => BinaryData.FromString(string.Empty),
        JsonObject or JsonArray => BinaryData.FromString(element.ToJsonString(Indented)),
        _ when element.GetValueKind() == JsonValueKind.String => BinaryData.FromString(element.GetValue<string>()),
        _ => BinaryData.FromString(element.ToJsonString()),
    };

    private static bool IsBase64(string text)
    {
        if (text.Length == 0 || text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static string Truncate(string text) => text.Length <= 24 ? text : text[..24] + "…";

    /// <summary>The message as text for logs (bytes that are not UTF-8 are shown as their length).</summary>
    public static string Describe(BinaryData message)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(message.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return $"({message.ToArray().Length} bytes)";
        }
    }
}
