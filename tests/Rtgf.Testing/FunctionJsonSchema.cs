using System.Text.Json;

namespace Rtgf.Testing;

/// <summary>
/// The documented function.json schema (SchemaStore "JSON schema for Azure Functions function.json files",
/// definitions bindingBase, timerTriggerBinding, serviceBusBinding, queueBinding, httpBinding), as rules:
/// required name/type/direction, the direction each binding type allows, the type of each known property and
/// the allowed values of the enumerations. Returns every violation.
/// </summary>
public static class FunctionJsonSchema
{
    private static readonly string[] Directions = ["in", "out", "inout"];
    private static readonly string[] DataTypes = ["string", "binary", "stream"];
    private static readonly string[] AuthLevels = ["anonymous", "function", "admin"];
    private static readonly string[] Methods = ["get", "post", "delete", "head", "patch", "put", "options", "trace"];

    private static readonly Dictionary<string, (string Direction, Dictionary<string, JsonValueKind> Properties)> Bindings = new(StringComparer.Ordinal)
    {
        ["timerTrigger"] = ("in", new() { ["schedule"] = JsonValueKind.String, ["runOnStartup"] = JsonValueKind.True, ["useMonitor"] = JsonValueKind.True }),
        ["serviceBusTrigger"] = ("in", ServiceBus()),
        ["serviceBus"] = ("out", ServiceBus()),
        ["queueTrigger"] = ("in", new() { ["queueName"] = JsonValueKind.String, ["connection"] = JsonValueKind.String }),
        ["queue"] = ("out", new() { ["queueName"] = JsonValueKind.String, ["connection"] = JsonValueKind.String }),
        ["httpTrigger"] = ("in", new() { ["route"] = JsonValueKind.String, ["webHookType"] = JsonValueKind.String, ["authLevel"] = JsonValueKind.String, ["methods"] = JsonValueKind.Array }),
        ["http"] = ("out", []),
    };

    public static IReadOnlyList<string> Validate(string json)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ["the document is not an object"];
        }

        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "disabled" or "excluded":
                    Expect(problems, property.Name, property.Value, JsonValueKind.True);
                    break;
                case "scriptFile" or "entryPoint":
                    Expect(problems, property.Name, property.Value, JsonValueKind.String);
                    break;
                case "bindings":
                    break;
                default:
                    problems.Add($"unknown top-level property '{property.Name}'");
                    break;
            }
        }

        if (!root.TryGetProperty("bindings", out var bindings) || bindings.ValueKind != JsonValueKind.Array)
        {
            problems.Add("'bindings' must be an array");
            return problems;
        }

        var index = 0;
        foreach (var binding in bindings.EnumerateArray())
        {
            ValidateBinding(binding, $"bindings[{index++}]", problems);
        }

        return problems;
    }

    private static void ValidateBinding(JsonElement binding, string at, List<string> problems)
    {
        var missing = false;
        foreach (var required in new[] { "name", "type", "direction" })
        {
            if (!binding.TryGetProperty(required, out var value) || value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{at}: '{required}' is required and must be a string");
                missing = true;
            }
        }

        if (missing)
        {
            return;
        }

        var type = binding.GetProperty("type").GetString()!;
        var direction = binding.GetProperty("direction").GetString()!;
        if (!Directions.Contains(direction))
        {
            problems.Add($"{at}: direction '{direction}' is not one of {string.Join(", ", Directions)}");
        }

        if (binding.TryGetProperty("dataType", out var dataType) && !DataTypes.Contains(dataType.GetString()))
        {
            problems.Add($"{at}: dataType '{dataType}' is not one of {string.Join(", ", DataTypes)}");
        }

        if (!Bindings.TryGetValue(type, out var rule))
        {
            problems.Add($"{at}: binding type '{type}' is not one this app uses");
            return;
        }

        if (direction != rule.Direction)
        {
            problems.Add($"{at}: a {type} binding has direction '{rule.Direction}', not '{direction}'");
        }

        foreach (var property in binding.EnumerateObject())
        {
            if (property.Name is "name" or "type" or "direction" or "dataType")
            {
                continue;
            }

            if (!rule.Properties.TryGetValue(property.Name, out var kind))
            {
                problems.Add($"{at}: '{property.Name}' is not a property of {type}");
                continue;
            }

            Expect(problems, $"{at}.{property.Name}", property.Value, kind);
        }

        if (type == "httpTrigger")
        {
            if (binding.TryGetProperty("authLevel", out var level) && !AuthLevels.Contains(level.GetString()))
            {
                problems.Add($"{at}: authLevel '{level}' is not one of {string.Join(", ", AuthLevels)}");
            }

            if (binding.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array)
            {
                foreach (var method in methods.EnumerateArray())
                {
                    if (!Methods.Contains(method.GetString()))
                    {
                        problems.Add($"{at}: method '{method}' is not one of {string.Join(", ", Methods)}");
                    }
                }
            }
        }
    }

    private static void Expect(List<string> problems, string at, JsonElement value, JsonValueKind kind)
    {
        var ok = kind == JsonValueKind.True ? value.ValueKind is JsonValueKind.True or JsonValueKind.False : value.ValueKind == kind;
        if (!ok)
        {
            problems.Add($"{at}: expected {(kind == JsonValueKind.True ? "a boolean" : kind.ToString())}, found {value.ValueKind}");
        }
    }

    private static Dictionary<string, JsonValueKind> ServiceBus() => new()
    {
        ["queueName"] = JsonValueKind.String,
        ["topicName"] = JsonValueKind.String,
        ["subscriptionName"] = JsonValueKind.String,
        ["connection"] = JsonValueKind.String,
        ["accessRights"] = JsonValueKind.String,
    };
}
