using System.Globalization;
using System.Text.Json;

namespace Rtgf.Compiler.Input;

/// <summary>Typed reads of one member value from a record line, with the member named in every error.</summary>
internal static class JsonFields
{
    public static string String(ref Utf8JsonReader reader, string member)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Wrong(member, "a string", reader.TokenType);
    }

    public static string? OptionalString(ref Utf8JsonReader reader, string member)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw Wrong(member, "a string or null", reader.TokenType),
        };
    }

    /// <summary>A <c>yyyy-MM-dd</c> date or null, kept as its text (already the canonical form).</summary>
    public static string? OptionalDate(ref Utf8JsonReader reader, string member)
    {
        var text = OptionalString(ref reader, member);
        return text is null || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? text
            : throw new RecordFormatException($"member '{member}' is '{text}', not a yyyy-MM-dd date.");
    }

    /// <summary>An instant or null as snapshots write it (checked, not kept: tokens use the snapshot's fetch time).</summary>
    public static void OptionalInstant(ref Utf8JsonReader reader, string member)
    {
        var text = OptionalString(ref reader, member);
        if (text is not null && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            throw new RecordFormatException($"member '{member}' is '{text}', not a timestamp.");
        }
    }

    public static bool Boolean(ref Utf8JsonReader reader, string member)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw Wrong(member, "true or false", reader.TokenType),
        };
    }

    public static long? OptionalInteger(ref Utf8JsonReader reader, string member)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
            _ => throw Wrong(member, "an integer or null", reader.TokenType),
        };
    }

    public static long Integer(ref Utf8JsonReader reader, string member) =>
        OptionalInteger(ref reader, member) ?? throw new RecordFormatException($"member '{member}' must be an integer, not null.");

    /// <summary>A JSON number that fits a decimal (checked, not kept: no family reads series values).</summary>
    public static void Number(ref Utf8JsonReader reader, string member)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out _))
        {
            throw Wrong(member, "a decimal number", reader.TokenType);
        }
    }

    public static string[] Strings(ref Utf8JsonReader reader, string member)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Wrong(member, "an array of strings", reader.TokenType);
        }

        reader.Read();
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return [];
        }

        var values = new List<string>(2);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Wrong(member, "an array of strings", reader.TokenType));
            reader.Read();
        }

        return [.. values];
    }

    public static void StartArray(ref Utf8JsonReader reader, string member)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Wrong(member, "an array", reader.TokenType);
        }
    }

    /// <summary>Moves to the next array element; false at the array's end. Elements must be objects.</summary>
    public static bool NextObject(ref Utf8JsonReader reader, string member)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.EndArray => false,
            JsonTokenType.StartObject => true,
            _ => throw Wrong(member, "an array of objects", reader.TokenType),
        };
    }

    /// <summary>Moves to the next member name; false at the object's end.</summary>
    public static bool NextMember(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    public static RecordFormatException Unknown(ref Utf8JsonReader reader, string record) =>
        new($"unknown member '{reader.GetString()}' in a '{record}' record (compilerInputVersion 1 shape).");

    public static RecordFormatException Missing(string record, string member) => new($"a '{record}' record needs member '{member}'.");

    private static RecordFormatException Wrong(string member, string expected, JsonTokenType actual) =>
        new($"member '{member}' must be {expected}, not {actual}.");
}
