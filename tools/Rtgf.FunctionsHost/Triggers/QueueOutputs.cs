using System.Globalization;
using System.Text;
using System.Text.Json;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Triggers;

/// <summary>
/// The messages one queue output binding asks the host to enqueue. <see cref="QueueName"/> is the binding's
/// <c>queueName</c> as declared: a <c>%SETTING%</c> in it is the caller's to resolve.
/// </summary>
public sealed record OutputMessages(HostedBinding Binding, string QueueName, IReadOnlyList<string> Messages);

/// <summary>
/// What a successful invocation wants enqueued: every <c>queue</c> output binding's value (<c>return_value</c> for
/// <c>$return</c>, else the <c>output_data</c> entry of the same name) turned into message texts as the host's queue
/// binding does: a string or bytes is one message, a JSON array one message per element, another JSON value one message,
/// a string collection one per element, nothing (null or absent) none.
/// </summary>
public static class QueueOutputs
{
    public const string ReturnBindingName = "$return";

    /// <summary>The outputs in declaration order; bindings without a value are left out.</summary>
    public static IReadOnlyList<OutputMessages> From(HostedFunction function, InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(result);
        var outputs = new List<OutputMessages>();
        foreach (var binding in function.Outputs.Where(b => b.Is("queue")))
        {
            var queueName = binding.Property("queueName") is { Length: > 0 } name
                ? name
                : throw new FormatException($"Function '{function.Name}': queue output '{binding.Name}' has no queueName.");
            var data = string.Equals(binding.Name, ReturnBindingName, StringComparison.Ordinal)
                ? result.ReturnValue
                : result.Outputs.FirstOrDefault(o => string.Equals(o.Name, binding.Name, StringComparison.OrdinalIgnoreCase))?.Data;
            var messages = Messages(data, function, binding);
            if (messages.Count > 0)
            {
                outputs.Add(new OutputMessages(binding, queueName, messages));
            }
        }

        return outputs;
    }

    private static List<string> Messages(TypedData? data, HostedFunction function, HostedBinding binding) => data?.DataCase switch
    {
        null or TypedData.DataOneofCase.None => [],
        TypedData.DataOneofCase.String => [data.String],
        TypedData.DataOneofCase.Bytes => [Encoding.UTF8.GetString(data.Bytes.Span)],
        TypedData.DataOneofCase.Json => FromJson(data.Json, function, binding),
        TypedData.DataOneofCase.CollectionString => [.. data.CollectionString.String],
        TypedData.DataOneofCase.CollectionBytes => [.. data.CollectionBytes.Bytes.Select(b => Encoding.UTF8.GetString(b.Span))],
        TypedData.DataOneofCase.Int => [data.Int.ToString(CultureInfo.InvariantCulture)],
        TypedData.DataOneofCase.Double => [data.Double.ToString("R", CultureInfo.InvariantCulture)],
        _ => throw new FormatException($"Function '{function.Name}': queue output '{binding.Name}' returned {data.DataCase}; a queue message is text, bytes or JSON."),
    };

    private static List<string> FromJson(string json, HostedFunction function, HostedBinding binding)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"Function '{function.Name}': queue output '{binding.Name}' returned JSON that does not parse: {exception.Message}", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array
                ? [.. root.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.Null).Select(Text)]
                : root.ValueKind == JsonValueKind.Null ? [] : [Text(root)];
        }
    }

    /// <summary>A JSON string becomes its value (not its quoted literal); anything else its raw JSON text.</summary>
    private static string Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
}
