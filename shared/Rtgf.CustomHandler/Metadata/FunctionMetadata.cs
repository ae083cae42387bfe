using System.Text.Json;

namespace Rtgf.CustomHandler.Metadata;

/// <summary>A function as the host sees it: its folder name and the bindings in its function.json.</summary>
public sealed record FunctionMetadata(string Name, IReadOnlyList<BindingMetadata> Bindings)
{
    public BindingMetadata Trigger => Bindings.Single(b => b.IsTrigger);

    public IEnumerable<BindingMetadata> Outputs => Bindings.Where(b => b.Direction == "out");

    /// <summary>The host forwards raw HTTP only to functions with exactly an httpTrigger and an http output.</summary>
    public bool IsHttpInAndOut => Bindings.Count == 2 && Trigger.Type == "httpTrigger" && Bindings.Count(b => b.Type == "http" && b.Direction == "out") == 1;

    public static FunctionMetadata Parse(string name, string json)
    {
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(json);
        }
        catch (JsonException e)
        {
            throw new ScriptRootException($"{name}/function.json is not valid JSON: {e.Message}");
        }

        if (!root.TryGetProperty("bindings", out var bindings) || bindings.ValueKind != JsonValueKind.Array)
        {
            throw new ScriptRootException($"{name}/function.json has no \"bindings\" array.");
        }

        var list = new List<BindingMetadata>();
        foreach (var binding in bindings.EnumerateArray())
        {
            string Required(string property) =>
                binding.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                    ? s
                    : throw new ScriptRootException($"{name}/function.json: a binding has no \"{property}\".");
            list.Add(new BindingMetadata(Required("type"), Required("direction"), Required("name"), binding));
        }

        if (list.Count(b => b.IsTrigger) != 1)
        {
            throw new ScriptRootException($"{name}/function.json must have exactly one trigger binding.");
        }

        return new FunctionMetadata(name, list);
    }
}
