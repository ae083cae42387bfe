using System.Text.Json;

namespace Rtgf.FunctionsHost.Functions;

/// <summary>
/// One binding of a function as the worker declared it (a <c>raw_bindings</c> JSON object: <c>name</c>, <c>type</c>,
/// <c>direction</c> and the trigger's own properties such as <c>route</c>, <c>schedule</c>, <c>queueName</c>).
/// </summary>
public sealed class HostedBinding
{
    private readonly JsonElement _raw;

    private HostedBinding(JsonElement raw, string name, string type, bool isOutput)
    {
        _raw = raw;
        Name = name;
        Type = type;
        IsOutput = isOutput;
    }

    public string Name { get; }

    /// <summary>The binding type as declared (<c>httpTrigger</c>, <c>timerTrigger</c>, <c>queueTrigger</c>, <c>queue</c>, <c>http</c>).</summary>
    public string Type { get; }

    public bool IsOutput { get; }

    public bool IsTrigger => !IsOutput && Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    public bool Is(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);

    /// <summary>A string property of the binding (property names are matched case-insensitively, as the host does).</summary>
    public string? Property(string name)
    {
        foreach (var property in _raw.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => property.Value.GetRawText(),
                };
            }
        }

        return null;
    }

    /// <summary>A string-array property (<c>methods</c>), empty when absent.</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        foreach (var property in _raw.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Array)
            {
                return [.. property.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)];
            }
        }

        return [];
    }

    public bool Flag(string name) => bool.TryParse(Property(name), out var value) && value;

    internal static HostedBinding Parse(string rawJson)
    {
        using var document = JsonDocument.Parse(rawJson);
        var raw = document.RootElement.Clone();
        if (raw.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A raw binding is not a JSON object.");
        }

        string? Read(string name) => raw.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } p ? p.Value.GetString() : null;
        var bindingName = Read("name") ?? throw new FormatException("A binding has no name.");
        var type = Read("type") ?? throw new FormatException($"Binding '{bindingName}' has no type.");
        var direction = Read("direction") ?? "In";
        return new HostedBinding(raw, bindingName, type, string.Equals(direction, "Out", StringComparison.OrdinalIgnoreCase));
    }
}
