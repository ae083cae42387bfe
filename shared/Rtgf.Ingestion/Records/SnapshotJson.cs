using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rtgf.Core.Encoding;

namespace Rtgf.Ingestion.Records;

/// <summary>Writes records and their invariant values (ISO dates, sorted lists) the same way every time.</summary>
public static class SnapshotJson
{
    /// <summary>The record as UTF-8 JSON bytes (not yet canonicalised; not for embedding in HTML: only JSON escaping is applied).</summary>
    public static byte[] ToUtf8(ISnapshotRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            record.WriteJson(writer);
        }

        return buffer.ToArray();
    }

    internal static void Date(Utf8JsonWriter writer, string name, DateOnly? value)
    {
        if (value is { } date)
        {
            writer.WriteString(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    internal static void Instant(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } instant)
        {
            writer.WriteString(name, instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>A decimal without trailing zeros (<c>812.30</c> and <c>812.3</c> are one value, so they are one text).</summary>
    internal static void Number(Utf8JsonWriter writer, string name, decimal value) =>
        writer.WriteNumber(name, value / 1.000000000000000000000000000000000m);

    internal static void Strings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// An array of objects, distinct and ordered ordinally by each object's canonical JSON (RFC 8785), so the order the
    /// upstream listed them in never changes a record's bytes.
    /// </summary>
    /// <summary>String members (null written as null) in the order given: the body of the records' nested values.</summary>
    internal static void StringMembers(Utf8JsonWriter writer, params ReadOnlySpan<(string Name, string? Value)> members)
    {
        foreach (var (name, value) in members)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>A nested object member written by <paramref name="write"/>, or null when there is none.</summary>
    internal static void Object<T>(Utf8JsonWriter writer, string name, T? value, Action<Utf8JsonWriter, T> write)
        where T : class
    {
        if (value is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WritePropertyName(name);
        write(writer, value);
    }

    internal static void Objects<T>(Utf8JsonWriter writer, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        var canonical = new List<byte[]>();
        foreach (var item in items)
        {
            using var buffer = new MemoryStream();
            using (var itemWriter = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                write(itemWriter, item);
            }

            canonical.Add(CanonicalJson.Canonicalize(buffer.ToArray()));
        }

        canonical.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        writer.WriteStartArray(name);
        for (var i = 0; i < canonical.Count; i++)
        {
            if (i == 0 || !canonical[i].AsSpan().SequenceEqual(canonical[i - 1]))
            {
                writer.WriteRawValue(canonical[i], skipInputValidation: true);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Distinct, ordinal-sorted, non-empty values: the only list shape records hold.</summary>
    internal static IReadOnlyList<string> Sorted(IEnumerable<string?> values) =>
        [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
