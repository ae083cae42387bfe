using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace Rtgf.Azure.Tables;

/// <summary>
/// The one way our row stores keep a JSON document in an entity (docs/spec/storage.md): string properties <c>Json0</c>,
/// <c>Json1</c>, … of at most <see cref="PartChars"/> characters each (a string property holds 64 KiB of UTF-16) and their
/// count in <c>JsonParts</c>, so a reader can tell a complete document from one that lost a part.
/// </summary>
public static class EntityJson
{
    public const string PartsProperty = "JsonParts";

    /// <summary>Characters per part: the most a string property holds.</summary>
    public const int PartChars = TableLimits.MaxStringChars;

    /// <summary>Puts <paramref name="json"/> into <paramref name="entity"/> (an empty document is one empty part).</summary>
    public static TableEntity Write(TableEntity entity, string json)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(json);
        var parts = Math.Max(1, (json.Length + PartChars - 1) / PartChars);
        entity[PartsProperty] = parts;
        for (var i = 0; i < parts; i++)
        {
            var offset = i * PartChars;
            entity[PartName(i)] = json.Substring(offset, Math.Min(PartChars, json.Length - offset));
        }

        return entity;
    }

    /// <summary>The document <see cref="Write"/> put into <paramref name="entity"/>.</summary>
    public static string Read(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var parts = entity.GetInt32(PartsProperty)
            ?? throw new FormatException($"Row {entity.PartitionKey}/{entity.RowKey} has no '{PartsProperty}' property: it was not written by our row stores.");
        if (parts == 1)
        {
            return entity.GetString(PartName(0)) ?? throw MissingPart(entity, 0);
        }

        var json = new StringBuilder(parts * PartChars);
        for (var i = 0; i < parts; i++)
        {
            json.Append(entity.GetString(PartName(i)) ?? throw MissingPart(entity, i));
        }

        return json.ToString();
    }

    private static string PartName(int index) => "Json" + index.ToString(CultureInfo.InvariantCulture);

    private static FormatException MissingPart(TableEntity entity, int index) =>
        new($"Row {entity.PartitionKey}/{entity.RowKey} lacks '{PartName(index)}' of its {entity.GetInt32(PartsProperty)} JSON parts.");
}
