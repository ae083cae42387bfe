using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Rtgf.Functions.Mcp;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before the tool runs: a missing required argument,
/// one the tool does not take, or one of the wrong JSON type is a tool error (<c>isError: true</c>) that names the
/// argument, the same text form the SDK gives a tool's own <see cref="ModelContextProtocol.McpException"/>. Left to the SDK's
/// binding, such a call would fail with a bare "An error occurred" and no reason.
/// </summary>
internal static class ToolArguments
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            if (request.Params is { } call && FindTool(request, call.Name) is { } tool && Check(tool.ProtocolTool.InputSchema, call.Arguments) is { } problem)
            {
                return Error(call.Name, problem);
            }

            return await next(request, cancellationToken).ConfigureAwait(false);
        };

    /// <summary>The tool error the SDK writes for a tool's <see cref="ModelContextProtocol.McpException"/>.</summary>
    public static CallToolResult Error(string tool, string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = $"An error occurred invoking '{tool}': {message}" }],
    };

    /// <summary>Why <paramref name="arguments"/> do not fit <paramref name="schema"/> (an object schema), or null when they do.</summary>
    internal static string? Check(JsonElement schema, IDictionary<string, JsonElement>? arguments)
    {
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var known = properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().Select(m => m.Name).Order(StringComparer.Ordinal).ToList()
            : [];
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (arguments is null || !arguments.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    return $"The argument '{name}' is required.";
                }
            }
        }

        foreach (var (name, value) in (arguments ?? new Dictionary<string, JsonElement>()).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                return known.Count == 0
                    ? $"This tool takes no arguments, but '{Truncate(name)}' was given."
                    : $"Unknown argument '{Truncate(name)}'; this tool takes {string.Join(", ", known.Select(k => "'" + k + "'"))}.";
            }

            var types = Types(properties.GetProperty(name));
            if (types.Count > 0 && !types.Any(t => Fits(t, value)))
            {
                return $"The argument '{name}' must be {string.Join(" or ", types.Select(Article))}, not {Describe(value.ValueKind)}.";
            }
        }

        return null;
    }

    private static McpServerTool? FindTool(RequestContext<CallToolRequestParams> request, string name) =>
        request.MatchedPrimitive as McpServerTool ??
        (request.Server.ServerOptions.ToolCollection is { } tools && tools.TryGetPrimitive(name, out var tool) ? tool : null);

    private static List<string> Types(JsonElement property) =>
        !property.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.String ? [type.GetString()!]
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()).OfType<string>()]
        : [];

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        _ => true,
    };

    private static string Article(string type) => type switch
    {
        "integer" => "an integer",
        "array" => "an array",
        "object" => "an object",
        "null" => "null",
        _ => "a " + type,
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
