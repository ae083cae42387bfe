using System.Text.Json;

namespace Rtgf.CustomHandler.Invocation;

/// <summary>The host's invocation envelope: <c>{"Data": {binding: value}, "Metadata": {...}}</c>.</summary>
public sealed class InvocationRequest
{
    private readonly Dictionary<string, BindingValue> _data;

    private InvocationRequest(Dictionary<string, BindingValue> data, InvocationMetadata metadata)
    {
        _data = data;
        Metadata = metadata;
    }

    public IReadOnlyDictionary<string, BindingValue> Data => _data;

    public InvocationMetadata Metadata { get; }

    /// <summary>Reads an envelope; throws <see cref="InvalidInvocationException"/> if it is not one.</summary>
    public static async Task<InvocationRequest> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        JsonElement root;
        try
        {
            root = await JsonSerializer.DeserializeAsync<JsonElement>(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidInvocationException($"The invocation body is not JSON: {e.Message}", e);
        }

        return Parse(root);
    }

    public static InvocationRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException("The invocation body must be a JSON object with Data and Metadata.");
        }

        JsonElement data = default, metadata = default;
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, "Data", StringComparison.OrdinalIgnoreCase))
            {
                data = property.Value;
            }
            else if (string.Equals(property.Name, "Metadata", StringComparison.OrdinalIgnoreCase))
            {
                metadata = property.Value;
            }
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException("The invocation body has no Data object.");
        }

        var values = new Dictionary<string, BindingValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in data.EnumerateObject())
        {
            values[property.Name] = new BindingValue(property.Value);
        }

        return new InvocationRequest(values, new InvocationMetadata(metadata));
    }

    /// <summary>The trigger's value; throws <see cref="InvalidInvocationException"/> if the envelope lacks it.</summary>
    public BindingValue Trigger(string bindingName) =>
        _data.TryGetValue(bindingName, out var value)
            ? value
            : throw new InvalidInvocationException($"The invocation has no Data.{bindingName}.");
}
