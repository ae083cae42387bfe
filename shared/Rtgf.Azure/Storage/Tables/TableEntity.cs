using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>
/// A table entity: keys, system properties and typed custom properties (string, bool, Int32, Int64,
/// double, DateTimeOffset, Guid, binary). The dictionary view holds the custom properties only.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named like Azure.Data.Tables.TableEntity so callers can swap clients.")]
public sealed class TableEntity : IDictionary<string, object>
{
    private readonly SortedDictionary<string, object> _properties = new(StringComparer.Ordinal);

    public TableEntity()
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    /// <summary>Server-set last-modified time; ignored on writes.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The entity's ETag as last read or written (use it for optimistic concurrency).</summary>
    public ETag ETag { get; set; }

    public int Count => _properties.Count;

    public ICollection<string> Keys => _properties.Keys;

    public ICollection<object> Values => _properties.Values;

    bool ICollection<KeyValuePair<string, object>>.IsReadOnly => false;

    /// <summary>Gets or sets a custom property. Setting a value of an unsupported type throws at once.</summary>
    public object this[string key]
    {
        get => _properties[key];
        set => _properties[CheckName(key)] = Normalize(key, value);
    }

    public void Add(string key, object value) => _properties.Add(CheckName(key), Normalize(key, value));

    public bool ContainsKey(string key) => _properties.ContainsKey(key);

    public bool Remove(string key) => _properties.Remove(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value) => _properties.TryGetValue(key, out value);

    public void Clear() => _properties.Clear();

    public string? GetString(string key) => Get<string>(key);

    public bool? GetBoolean(string key) => _properties.TryGetValue(key, out var v) ? (bool)v : null;

    public int? GetInt32(string key) => _properties.TryGetValue(key, out var v) ? (int)v : null;

    /// <summary>Int64 values (Int32 values widen).</summary>
    public long? GetInt64(string key) => _properties.TryGetValue(key, out var v) ? v switch { long l => l, int i => i, _ => throw Mismatch(key, v, "Int64") } : null;

    /// <summary>Double values (Int32 values widen: the service returns integral doubles without a type only when told).</summary>
    public double? GetDouble(string key) => _properties.TryGetValue(key, out var v) ? v switch { double d => d, int i => i, _ => throw Mismatch(key, v, "Double") } : null;

    public DateTimeOffset? GetDateTimeOffset(string key) => _properties.TryGetValue(key, out var v) ? (DateTimeOffset)v : null;

    public Guid? GetGuid(string key) => _properties.TryGetValue(key, out var v) ? (Guid)v : null;

    public byte[]? GetBinary(string key) => Get<byte[]>(key);

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<string, object>>.Add(KeyValuePair<string, object> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, object>>.Contains(KeyValuePair<string, object> item) => ((ICollection<KeyValuePair<string, object>>)_properties).Contains(item);

    void ICollection<KeyValuePair<string, object>>.CopyTo(KeyValuePair<string, object>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, object>>)_properties).CopyTo(array, arrayIndex);

    bool ICollection<KeyValuePair<string, object>>.Remove(KeyValuePair<string, object> item) => ((ICollection<KeyValuePair<string, object>>)_properties).Remove(item);

    internal void SetFromService(string key, object value) => _properties[key] = value;

    private T? Get<T>(string key)
        where T : class =>
        _properties.TryGetValue(key, out var v) ? v as T ?? throw Mismatch(key, v, typeof(T).Name) : null;

    private static InvalidOperationException Mismatch(string key, object value, string wanted) =>
        new($"Property '{key}' holds a {TableEdm.TypeName(value)}, not {wanted}.");

    private static string CheckName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")
        {
            throw new ArgumentException($"'{key}' is a system property: use the {key.Replace("odata.etag", "ETag", StringComparison.Ordinal)} member instead.", nameof(key));
        }

        return key;
    }

    private static object Normalize(string key, object value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), $"Property '{key}' is null; remove the property instead (tables store no nulls)."),
        string or bool or int or long or double or DateTimeOffset or Guid or byte[] => value,
        BinaryData data => data.ToArray(),
        _ => throw new ArgumentException(
            $"Property '{key}' has type {value.GetType().Name}; table entities hold string, bool, int, long, double, DateTimeOffset, Guid or byte[].",
            nameof(value)),
    };
}
