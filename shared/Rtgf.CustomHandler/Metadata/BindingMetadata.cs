using System.Text.Json;

namespace Rtgf.CustomHandler.Metadata;

/// <summary>One binding of a function.json, as written (properties other than type/direction/name stay in <see cref="Raw"/>).</summary>
public sealed record BindingMetadata(string Type, string Direction, string Name, JsonElement Raw)
{
    public bool IsTrigger => Direction == "in" && Type.EndsWith("Trigger", StringComparison.Ordinal);

    public string? GetString(string property) =>
        Raw.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public bool? GetBoolean(string property) =>
        Raw.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public IReadOnlyList<string> GetStrings(string property) =>
        Raw.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(v => v.GetString() ?? string.Empty)]
            : [];
}
