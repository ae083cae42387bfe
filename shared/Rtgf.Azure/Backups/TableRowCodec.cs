using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Rtgf.Azure.Backups;

/// <summary>
/// One table entity as one JSON line, every property with its EDM type so a restore writes back exactly what was read:
/// <c>{"pk":…,"rk":…,"p":[[name,type,value],…]}</c>, properties sorted by name. Types: <c>s</c> string, <c>b</c> boolean,
/// <c>i</c> Int32, <c>l</c> Int64, <c>d</c> double (round-trip text), <c>t</c> DateTime (ISO 8601, UTC), <c>g</c> Guid,
/// <c>x</c> binary (base64). The service's own columns (<c>Timestamp</c>, the ETag) are not kept: a restore gets new ones.
/// </summary>
internal static class TableRowCodec
{
    public static void Write(Utf8JsonWriter json, TableEntity entity)
    {
        json.WriteStartObject();
        json.WriteString("pk", entity.PartitionKey);
        json.WriteString("rk", entity.RowKey);
        json.WriteStartArray("p");
        foreach (var name in entity.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).Order(StringComparer.Ordinal))
        {
            var value = entity[name];
            if (value is null)
            {
                continue;
            }

            json.WriteStartArray();
            json.WriteStringValue(name);
            switch (value)
            {
                case string s: Typed(json, "s", s); break;
                case bool b: json.WriteStringValue("b"); json.WriteBooleanValue(b); break;
                case int i: json.WriteStringValue("i"); json.WriteNumberValue(i); break;
                case long l: Typed(json, "l", l.ToString(CultureInfo.InvariantCulture)); break;
                case double d: Typed(json, "d", d.ToString("R", CultureInfo.InvariantCulture)); break;
                case DateTimeOffset t: Typed(json, "t", t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)); break;
                case DateTime t: Typed(json, "t", t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)); break;
                case Guid g: Typed(json, "g", g.ToString("D", CultureInfo.InvariantCulture)); break;
                case byte[] x: Typed(json, "x", Convert.ToBase64String(x)); break;
                case BinaryData x: Typed(json, "x", Convert.ToBase64String(x.ToArray())); break;
                default: throw new NotSupportedException($"Property '{name}' has a type a table cannot hold: {value.GetType().Name}.");
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static TableEntity Read(JsonElement row)
    {
        var entity = new TableEntity(row.GetProperty("pk").GetString(), row.GetProperty("rk").GetString());
        foreach (var property in row.GetProperty("p").EnumerateArray())
        {
            var name = property[0].GetString() ?? throw new BackupFormatException("A backed-up row has a property without a name.");
            var value = property[2];
            entity[name] = property[1].GetString() switch
            {
                "s" => value.GetString(),
                "b" => value.GetBoolean(),
                "i" => value.GetInt32(),
                "l" => long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture),
                "d" => double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
                "t" => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                "g" => Guid.Parse(value.GetString()!, CultureInfo.InvariantCulture),
                "x" => Convert.FromBase64String(value.GetString()!),
                var type => throw new BackupFormatException($"A backed-up row's property '{name}' has an unknown type '{type}'."),
            };
        }

        return entity;
    }

    private static void Typed(Utf8JsonWriter json, string type, string value)
    {
        json.WriteStringValue(type);
        json.WriteStringValue(value);
    }
}
