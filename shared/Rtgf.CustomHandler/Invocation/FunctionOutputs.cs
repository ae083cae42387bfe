using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Rtgf.CustomHandler.Catalog;

namespace Rtgf.CustomHandler.Invocation;

/// <summary>
/// The values a handler returns for its output bindings. Only declared outputs can be set, and every
/// message is a JSON object: the host base64-decodes bare strings that happen to be valid base64
/// ("test", "OK12") and splits strings that parse as arrays, so neither is allowed to reach it.
/// </summary>
public sealed class FunctionOutputs
{
    private readonly FunctionDefinition _function;
    private readonly JsonSerializerOptions _options;
    private readonly Dictionary<string, List<JsonObject>> _messages = new(StringComparer.Ordinal);
    private JsonObject? _httpResponse;

    internal FunctionOutputs(FunctionDefinition function, JsonSerializerOptions options)
    {
        _function = function;
        _options = options;
    }

    /// <summary>True when nothing was set.</summary>
    public bool IsEmpty => _messages.Count == 0 && _httpResponse is null;

    /// <summary>Adds one message (an object) or several (a list of objects) to a queue or Service Bus output.</summary>
    public void Add<T>(string outputName, T message) => Add(outputName, JsonSerializer.SerializeToNode(message, _options));

    /// <summary>Adds messages using source-generated serialisation.</summary>
    public void Add<T>(string outputName, T message, JsonTypeInfo<T> typeInfo) => Add(outputName, JsonSerializer.SerializeToNode(message, typeInfo));

    /// <summary>Sets the HTTP response (functions whose HTTP requests arrive as envelopes).</summary>
    public void SetHttpResponse(int statusCode, string? body = null, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null)
    {
        if (!_function.Outputs.OfType<HttpOutput>().Any())
        {
            throw new InvalidOperationException($"Function '{_function.Name}' has no HTTP output.");
        }

        if (statusCode is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "HTTP status codes run from 100 to 599.");
        }

        // The host honours headers only beside a string body, and fails on a null Content-Type.
        var headerObject = new JsonObject { ["Content-Type"] = contentType };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            headerObject[name] = value;
        }

        _httpResponse = new JsonObject { ["statusCode"] = statusCode, ["body"] = body ?? string.Empty, ["headers"] = headerObject };
    }

    /// <summary>The <c>Outputs</c> object of the invocation response.</summary>
    internal JsonObject ToJson()
    {
        var outputs = new JsonObject();
        foreach (var (name, messages) in _messages.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            outputs[name] = new JsonArray([.. messages.Select(m => (JsonNode)m)]);
        }

        if (_httpResponse is not null)
        {
            outputs[_function.Outputs.OfType<HttpOutput>().Single().Name] = _httpResponse;
        }

        return outputs;
    }

    private void Add(string outputName, JsonNode? node)
    {
        var output = _function.Outputs.FirstOrDefault(o => string.Equals(o.Name, outputName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Function '{_function.Name}' has no output named '{outputName}' (it has: {string.Join(", ", _function.Outputs.Select(o => o.Name))}).");
        if (output is HttpOutput)
        {
            throw new InvalidOperationException($"Output '{outputName}' is the HTTP response: use SetHttpResponse.");
        }

        if (!_messages.TryGetValue(outputName, out var list))
        {
            _messages[outputName] = list = [];
        }

        switch (node)
        {
            case JsonObject message:
                list.Add(message);
                break;
            case JsonArray messages:
                foreach (var item in messages)
                {
                    list.Add(item is JsonObject element
                        ? (JsonObject)element.DeepClone()
                        : throw NotAnObject(outputName, item));
                }

                break;
            default:
                throw NotAnObject(outputName, node);
        }
    }

    private static InvalidOperationException NotAnObject(string outputName, JsonNode? node) =>
        new($"Messages to output '{outputName}' must be JSON objects, not {(node is null ? "null" : node.GetValueKind().ToString())}: the host base64-decodes bare strings that look like base64 and splits strings that look like arrays.");
}
