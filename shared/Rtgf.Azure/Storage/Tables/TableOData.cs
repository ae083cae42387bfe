using System.Globalization;
using System.Text;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>OData literals for filters and entity addresses, escaped so values can never change the query.</summary>
internal static class TableOData
{
    /// <summary>Formats a filter: each interpolated value becomes a typed, escaped OData literal.</summary>
    public static string CreateFilter(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var arguments = filter.GetArguments();
        var literals = new object[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            literals[i] = Literal(arguments[i]);
        }

        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    /// <summary>One value as an OData literal.</summary>
    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        char c => "'" + (c == '\'' ? "''" : c.ToString()) + "'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture) is var r && r.AsSpan().IndexOfAny(".E") < 0 ? r + ".0" : r,
        double => throw new ArgumentException("NaN and infinities cannot be compared in a table filter."),
        DateTimeOffset t => "datetime'" + TableEdm.FormatDateTime(t) + "'",
        Guid g => "guid'" + g.ToString("D", CultureInfo.InvariantCulture) + "'",
        byte[] bytes => "X'" + Convert.ToHexStringLower(bytes) + "'",
        BinaryData data => "X'" + Convert.ToHexStringLower(data.ToArray()) + "'",
        _ => throw new ArgumentException(
            $"A table filter cannot hold a {value.GetType().Name}; use string, bool, int, long, double, DateTimeOffset, Guid or byte[]."),
    };

    /// <summary>The entity address <c>table(PartitionKey='..',RowKey='..')</c>, percent-escaped for a URL path.</summary>
    public static string EntityPath(string escapedTable, string partitionKey, string rowKey)
    {
        var builder = new StringBuilder(escapedTable.Length + partitionKey.Length + rowKey.Length + 32);
        builder.Append(escapedTable)
            .Append("(PartitionKey='").Append(EscapeKey(partitionKey))
            .Append("',RowKey='").Append(EscapeKey(rowKey))
            .Append("')");
        return builder.ToString();
    }

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
}
