using System.Globalization;
using CsvHelper;

namespace Rtgf.Ingestion.Cricos;

/// <summary>Reads a CSV by header name with strict headers: every column the caller needs must be present, by exact name.</summary>
internal static class CsvTable
{
    public static List<T> Read<T>(Stream stream, string fileName, IReadOnlyList<string> requiredColumns, Func<Row, T> map)
    {
        var options = new CsvReaderOptions
        {
            FormatProvider = CultureInfo.InvariantCulture,
            HasHeader = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
        };
        try
        {
            using var csv = CsvReader.Create(stream, options, true);
            var header = csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
            if (header.Count == 0)
            {
                throw new UpstreamFormatException($"{fileName} is empty: expected a header row.");
            }

            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++)
            {
                index.TryAdd(header[i], i);
            }

            var missing = requiredColumns.Where(c => !index.ContainsKey(c)).ToList();
            if (missing.Count > 0)
            {
                throw new UpstreamFormatException($"{fileName} has no column {string.Join(", ", missing.Select(m => $"'{m}'"))} (columns found: {string.Join(", ", header)}).");
            }

            var rows = new List<T>();
            while (csv.Read())
            {
                rows.Add(map(new Row(csv, index, fileName)));
            }

            return rows;
        }
        catch (CsvFormatException ex)
        {
            throw new UpstreamFormatException($"{fileName} is not valid CSV: {ex.Message}", ex);
        }
    }

    /// <summary>One data row: values by column name, empty cells as null.</summary>
    internal sealed class Row(CsvReader csv, Dictionary<string, int> index, string fileName)
    {
        public long Number => csv.LineNumber;

        public string? Get(string column)
        {
            var value = csv.GetString(index[column]).Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }

        public string Required(string column) =>
            Get(column) ?? throw new UpstreamFormatException($"{fileName} line {Number}: column '{column}' is empty.");

        public int? Int(string column)
        {
            var value = Get(column);
            return value is null ? null
                : int.TryParse(value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number
                : throw new UpstreamFormatException($"{fileName} line {Number}: column '{column}' is not a whole number: '{value}'.");
        }

        /// <summary>Money such as <c>$14,000</c> or <c>14000.50</c>.</summary>
        public decimal? Money(string column)
        {
            var value = Get(column);
            if (value is null)
            {
                return null;
            }

            var plain = value.Replace("$", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal).Trim();
            return decimal.TryParse(plain, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
                ? amount
                : throw new UpstreamFormatException($"{fileName} line {Number}: column '{column}' is not an amount: '{value}'.");
        }

        public bool YesNo(string column) => Get(column) switch
        {
            null => false,
            var v when v.Equals("Yes", StringComparison.OrdinalIgnoreCase) => true,
            var v when v.Equals("No", StringComparison.OrdinalIgnoreCase) => false,
            var v => throw new UpstreamFormatException($"{fileName} line {Number}: column '{column}' should be Yes or No, found '{v}'."),
        };
    }
}
