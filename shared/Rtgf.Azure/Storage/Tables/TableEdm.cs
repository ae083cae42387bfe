using System.Globalization;
using System.Text.Json;
using Azure;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>
/// Entity (de)serialisation in the Table service's JSON format (OData v3, minimal metadata): Int64,
/// DateTime, Guid, Binary and Double carry <c>@odata.type</c> annotations so types round-trip.
/// </summary>
internal static class TableEdm
{
    private const string TypeSuffix = "@odata.type";

    public static string TypeName(object value) => value switch
    {
        string => "Edm.String",
        bool => "Edm.Boolean",
        int => "Edm.Int32",
        long => "Edm.Int64",
        double => "Edm.Double",
        DateTimeOffset => "Edm.DateTime",
        Guid => "Edm.Guid",
        byte[] => "Edm.Binary",
        _ => value.GetType().Name,
    };

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("PartitionKey", entity.PartitionKey);
        writer.WriteString("RowKey", entity.RowKey);
        foreach (var (name, value) in entity)
        {
            switch (value)
            {
                case string s:
                    writer.WriteString(name, s);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case long l:
                    writer.WriteString(name + TypeSuffix, "Edm.Int64");
                    writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    // Always annotated: an integral double (2.0) would otherwise be read back as Int32.
                    writer.WriteString(name + TypeSuffix, "Edm.Double");
                    if (double.IsFinite(d))
                    {
                        writer.WriteNumber(name, d); // shortest round-trippable form
                    }
                    else
                    {
                        writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    }

                    break;
                case DateTimeOffset t:
                    writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                    writer.WriteString(name, FormatDateTime(t));
                    break;
                case Guid g:
                    writer.WriteString(name + TypeSuffix, "Edm.Guid");
                    writer.WriteString(name, g.ToString("D", CultureInfo.InvariantCulture));
                    break;
                case byte[] bytes:
                    writer.WriteString(name + TypeSuffix, "Edm.Binary");
                    writer.WriteBase64String(name, bytes);
                    break;
                default:
                    throw new InvalidOperationException($"Unsupported property type {value.GetType().Name}.");
            }
        }

        writer.WriteEndObject();
    }

    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>UTC, seven fractional digits: the resolution the service stores.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static TableEntity Read(JsonElement element)
    {
        var entity = new TableEntity();
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (name.EndsWith(TypeSuffix, StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                if (name == "odata.etag" && property.Value.ValueKind == JsonValueKind.String)
                {
                    entity.ETag = new ETag(property.Value.GetString()!);
                }

                continue;
            }

            switch (name)
            {
                case "PartitionKey":
                    entity.PartitionKey = property.Value.GetString() ?? string.Empty;
                    continue;
                case "RowKey":
                    entity.RowKey = property.Value.GetString() ?? string.Empty;
                    continue;
                case "Timestamp":
                    entity.Timestamp = ParseDateTime(property.Value.GetString()!);
                    continue;
            }

            var edmType = element.TryGetProperty(name + TypeSuffix, out var t) ? t.GetString() : null;
            var value = ReadValue(property.Value, edmType, name);
            if (value is not null)
            {
                entity.SetFromService(name, value);
            }
        }

        return entity;
    }

    private static object? ReadValue(JsonElement value, string? edmType, string name)
    {
        switch (edmType)
        {
            case "Edm.Int64":
                return long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture);
            case "Edm.DateTime":
                return ParseDateTime(value.GetString()!);
            case "Edm.Guid":
                return Guid.Parse(value.GetString()!, CultureInfo.InvariantCulture);
            case "Edm.Binary":
                return value.GetBytesFromBase64();
            case "Edm.Double":
                return value.ValueKind == JsonValueKind.String
                    ? value.GetString() switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        var other => double.Parse(other!, NumberStyles.Float, CultureInfo.InvariantCulture),
                    }
                    : value.GetDouble();
            case "Edm.String" or "Edm.Boolean" or "Edm.Int32" or null:
                break;
            default:
                throw new FormatException($"Property '{name}' has an unknown type '{edmType}'.");
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => IsIntegralLiteral(value) && value.TryGetInt32(out var i) ? (object)i : value.GetDouble(),
            JsonValueKind.Null => null,
            _ => throw new FormatException($"Property '{name}' is a JSON {value.ValueKind}, which tables do not store."),
        };
    }

    private static bool IsIntegralLiteral(JsonElement number) =>
        number.GetRawText().AsSpan().IndexOfAny(".eE") < 0;

    private static DateTimeOffset ParseDateTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
