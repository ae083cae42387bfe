using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Data.Tables;

namespace Rtgf.Azure.Tables;

/// <summary>
/// The Table service's documented limits, checked by our stores before the SDK sends a request (it checks none of them), so
/// a bad entity fails fast, with nothing written, and a message that names the key or property and the limit
/// (learn.microsoft.com: "Understanding the Table service data model").
/// </summary>
public static partial class TableLimits
{
    /// <summary>Largest entity, measured with the service's documented size formula.</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    /// <summary>PartitionKey and RowKey: up to 1 KiB of UTF-16, i.e. 512 characters.</summary>
    public const int MaxKeyChars = Rtgf.Pipeline.Storage.TableKeys.MaxChars;

    /// <summary>Custom properties (252 plus PartitionKey, RowKey and Timestamp make 255).</summary>
    public const int MaxCustomProperties = 252;

    public const int MaxPropertyNameChars = 255;

    /// <summary>String properties: up to 64 KiB of UTF-16, i.e. 32,768 characters.</summary>
    public const int MaxStringChars = 32 * 1024;

    public const int MaxBinaryBytes = 64 * 1024;

    public const int MaxTransactionActions = 100;

    /// <summary>Largest entity-group transaction payload.</summary>
    public const int MaxTransactionBytes = 4 * 1024 * 1024;

    /// <summary>Per action, a generous allowance for its multipart boundary, request line and headers.</summary>
    private const int TransactionEnvelopeBytes = 1024;

    /// <summary>The earliest Edm.DateTime the service stores.</summary>
    public static readonly DateTimeOffset MinDateTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The actions, once checked as one entity-group transaction: 1 to 100 of them, one partition, each row once, every
    /// entity valid, and the request body within 4 MiB (estimated as the SDK writes it: JSON names and values, with the
    /// characters its encoder escapes counted as <c>\uXXXX</c>, plus a per-entity allowance for the multipart envelope).
    /// Nothing is sent when any of it fails.
    /// </summary>
    public static IReadOnlyList<TableTransactionAction> CheckedTransaction(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count is 0 or > MaxTransactionActions)
        {
            throw new ArgumentException(Format($"A transaction holds 1 to {MaxTransactionActions} actions; this one has {actions.Count:N0}."), nameof(actions));
        }

        var partition = actions[0].Entity.PartitionKey;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        foreach (var action in actions)
        {
            var entity = action.Entity as TableEntity ?? throw new ArgumentException("Our stores write TableEntity rows only.", nameof(actions));
            ValidateEntity(entity);
            if (!string.Equals(entity.PartitionKey, partition, StringComparison.Ordinal))
            {
                throw new ArgumentException($"A transaction writes one partition; {Describe(entity)} is not in '{Truncate(partition)}'.", nameof(actions));
            }

            if (!rows.Add(entity.RowKey))
            {
                throw new ArgumentException($"A transaction touches each row once; {Describe(entity)} appears twice.", nameof(actions));
            }

            bytes += TransactionEnvelopeBytes + entity.Sum(p => JsonBytes(p.Key) + 8L + (p.Value is string text ? JsonBytes(text) : 40));
        }

        return bytes > MaxTransactionBytes
            ? throw new ArgumentException(Format($"The transaction is about {bytes:N0} bytes; a transaction's body holds at most {MaxTransactionBytes:N0} (4 MiB)."), nameof(actions))
            : actions;
    }

    /// <summary>Throws when <paramref name="tableName"/> is not a legal table name.</summary>
    public static void ValidateTableName(string tableName)
    {
        ArgumentNullException.ThrowIfNull(tableName);
        if (!TableNamePattern().IsMatch(tableName) || string.Equals(tableName, "tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"Table name '{tableName}' is invalid: use 3-63 letters and digits, starting with a letter ('tables' is reserved).",
                nameof(tableName));
        }
    }

    /// <summary>Throws when a PartitionKey or RowKey breaks the service's rules.</summary>
    public static void ValidateKey(string? key, string keyName)
    {
        if (key is null)
        {
            throw new ArgumentException($"{keyName} is required.", keyName);
        }

        if (key.Length > MaxKeyChars)
        {
            throw new ArgumentException(
                Format($"{keyName} is {key.Length:N0} characters; keys hold at most {MaxKeyChars:N0} (1 KiB)."), keyName);
        }

        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException(
                    Format($"{keyName} contains the character U+{(int)c:X4} at position {i}, which keys may not contain (/ \\ # ? and control characters)."),
                    keyName);
            }
        }
    }

    /// <summary>The entity, once checked: keys, names, value sizes, property count and total size.</summary>
    public static TableEntity Checked(TableEntity entity)
    {
        ValidateEntity(entity);
        return entity;
    }

    /// <summary>Throws when the entity cannot be stored: keys, names, value sizes, property count or total size.</summary>
    public static void ValidateEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ValidateKey(entity.PartitionKey, "PartitionKey");
        ValidateKey(entity.RowKey, "RowKey");

        // The SDK's entity is a dictionary that also holds its keys (and, once read, Timestamp and the ETag).
        var custom = entity.Where(p => !IsSystemProperty(p.Key)).ToList();
        if (custom.Count > MaxCustomProperties)
        {
            throw new ArgumentException(
                Format($"{Describe(entity)} has {custom.Count:N0} properties; entities hold at most {MaxCustomProperties:N0}."), nameof(entity));
        }

        // 4 bytes + keys as UTF-16 + for each property: 8 bytes + name as UTF-16 + value size.
        long size = 4 + ((entity.PartitionKey.Length + entity.RowKey.Length) * 2L);
        foreach (var (name, value) in custom)
        {
            ValidatePropertyName(name, entity);
            size += 8 + (name.Length * 2L) + ValueSize(name, value, entity);
        }

        if (size > MaxEntityBytes)
        {
            throw new ArgumentException(
                Format($"{Describe(entity)} is {size:N0} bytes; entities hold at most {MaxEntityBytes:N0} bytes (1 MiB)."), nameof(entity));
        }
    }

    private static void ValidatePropertyName(string name, TableEntity entity)
    {
        if (name.Length == 0 || name.Length > MaxPropertyNameChars || !IsIdentifier(name))
        {
            throw new ArgumentException(
                $"{Describe(entity)}: property name '{Truncate(name)}' is invalid; names follow C# identifier rules and hold at most {MaxPropertyNameChars} characters.",
                nameof(entity));
        }
    }

    private static long ValueSize(string name, object value, TableEntity entity) => value switch
    {
        string s when s.Length > MaxStringChars => throw new ArgumentException(
            Format($"{Describe(entity)}: string property '{name}' is {s.Length:N0} characters; strings hold at most {MaxStringChars:N0} (64 KiB)."), nameof(entity)),
        string s => 4 + (s.Length * 2L),
        byte[] b when b.Length > MaxBinaryBytes => throw new ArgumentException(
            Format($"{Describe(entity)}: binary property '{name}' is {b.Length:N0} bytes; binary values hold at most {MaxBinaryBytes:N0} (64 KiB)."), nameof(entity)),
        byte[] b => 4 + b.Length,
        DateTimeOffset t when t < MinDateTime => throw new ArgumentException(
            $"{Describe(entity)}: DateTimeOffset property '{name}' is before 1601-01-01T00:00:00Z, the earliest date tables store.", nameof(entity)),
        DateTime t when t < MinDateTime.UtcDateTime => throw new ArgumentException(
            $"{Describe(entity)}: DateTime property '{name}' is before 1601-01-01T00:00:00Z, the earliest date tables store.", nameof(entity)),
        bool => 1,
        int => 4,
        long or double or DateTimeOffset or DateTime => 8,
        Guid => 16,
        _ => throw new ArgumentException($"{Describe(entity)}: property '{name}' has unsupported type {value.GetType().Name}.", nameof(entity)),
    };

    // System.Text.Json's default encoder writes ASCII letters, digits and most punctuation as themselves, and quotes, HTML
    // characters, '+', '\\', controls and all non-ASCII as \uXXXX.
    private static long JsonBytes(string text)
    {
        long bytes = 2;
        foreach (var c in text)
        {
            bytes += c is >= ' ' and <= '~' and not ('"' or '\\' or '\'' or '<' or '>' or '&' or '+' or '`') ? 1 : 6;
        }

        return bytes;
    }

    private static bool IsSystemProperty(string name) =>
        name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag";

    private static bool IsIdentifier(string name)
    {
        if (!(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name.AsSpan(1))
        {
            var category = char.GetUnicodeCategory(c);
            var ok = char.IsLetterOrDigit(c) || c == '_'
                || category is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.NonSpacingMark
                    or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.LetterNumber or UnicodeCategory.Format;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    internal static string Describe(TableEntity entity) =>
        $"Entity (PartitionKey '{Truncate(entity.PartitionKey)}', RowKey '{Truncate(entity.RowKey)}')";

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableNamePattern();
}
