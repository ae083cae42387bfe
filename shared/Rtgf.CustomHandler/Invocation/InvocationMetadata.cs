using System.Text.Json;

namespace Rtgf.CustomHandler.Invocation;

/// <summary>
/// The invocation's <c>Metadata</c>: trigger properties (DeliveryCount, MessageId, …) and <c>sys</c>.
/// Keys are case-insensitive, as the host's binding data is.
/// </summary>
public sealed class InvocationMetadata
{
    private readonly Dictionary<string, BindingValue> _values;

    internal InvocationMetadata(JsonElement metadata)
    {
        _values = new Dictionary<string, BindingValue>(StringComparer.OrdinalIgnoreCase);
        if (metadata.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in metadata.EnumerateObject())
            {
                _values[property.Name] = new BindingValue(property.Value);
            }
        }

        if (_values.TryGetValue("sys", out var sys) && sys.Decoded.ValueKind == JsonValueKind.Object)
        {
            MethodName = sys.Decoded.TryGetProperty("MethodName", out var m) ? m.GetString() : null;
            UtcNow = sys.Decoded.TryGetProperty("UtcNow", out var n) ? new BindingValue(n).AsDateTimeOffset() : null;
            RandGuid = sys.Decoded.TryGetProperty("RandGuid", out var g) ? g.GetString() : null;
        }
    }

    /// <summary>The function name the host invoked (<c>sys.MethodName</c>).</summary>
    public string? MethodName { get; }

    /// <summary>When the host built the invocation (<c>sys.UtcNow</c>).</summary>
    public DateTimeOffset? UtcNow { get; }

    public string? RandGuid { get; }

    public IReadOnlyCollection<string> Keys => _values.Keys;

    public bool TryGetValue(string key, out BindingValue value) => _values.TryGetValue(key, out value);

    public string? GetString(string key) => _values.TryGetValue(key, out var v) ? v.AsText() : null;

    public int? GetInt32(string key) => _values.TryGetValue(key, out var v) ? v.AsInt32() : null;

    public long? GetInt64(string key) => _values.TryGetValue(key, out var v) ? v.AsInt64() : null;

    public DateTimeOffset? GetDateTimeOffset(string key) => _values.TryGetValue(key, out var v) ? v.AsDateTimeOffset() : null;
}
