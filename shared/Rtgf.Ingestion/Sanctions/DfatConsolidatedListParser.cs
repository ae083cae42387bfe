using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExcelDataReader;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Sanctions;

/// <summary>
/// Reads DFAT's consolidated list XLSX: one sheet, one row per name, columns by header name (banner rows above the header
/// are skipped). Rows are grouped by the numeric part of <c>Reference</c> (<c>101</c>, <c>101a</c>, …) into one listing each.
/// </summary>
public static partial class DfatConsolidatedListParser
{
    private const string Reference = "Reference";
    private const string Name = "Name of Individual or Entity";
    private const string Type = "Type";
    private const string NameType = "Name Type";
    private static readonly string[] Required = [Reference, Name, Type, NameType];
    private static readonly string[] DateFormats = ["d/MM/yyyy", "dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "d MMMM yyyy", "d MMM yyyy"];

    public static SanctionsList Parse(Stream xlsx)
    {
        EnsureCodePages();
        List<Dictionary<string, object?>> rows;
        try
        {
            rows = ReadRows(xlsx);
        }
        catch (Exception ex) when (ex is not UpstreamFormatException and not OperationCanceledException)
        {
            throw new UpstreamFormatException($"The DFAT consolidated list is not a readable XLSX workbook: {ex.Message}", ex);
        }

        var listings = rows
            .Select((row, i) => (Row: row, Line: i, Ref: SplitReference(row)))
            .GroupBy(r => r.Ref.Number)
            .OrderBy(g => g.Key)
            .Select(g => ToListing(g.Select(r => (r.Row, r.Ref.Suffix)).ToList(), g.Key))
            .ToList();
        return new SanctionsList(listings);
    }

    private static List<Dictionary<string, object?>> ReadRows(Stream xlsx)
    {
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(xlsx, new ExcelReaderConfiguration { LeaveOpen = true });
        Dictionary<int, string>? header = null;
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            if (header is null)
            {
                var cells = Enumerable.Range(0, reader.FieldCount).Select(i => (i, Text: Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)?.Trim())).ToList();
                if (cells.Any(c => c.Text == Reference) && cells.Any(c => c.Text == Name))
                {
                    header = cells.Where(c => !string.IsNullOrEmpty(c.Text)).ToDictionary(c => c.i, c => c.Text!);
                    var missing = Required.Where(r => !header.ContainsValue(r)).ToList();
                    if (missing.Count > 0)
                    {
                        throw new UpstreamFormatException($"The DFAT consolidated list has no column {string.Join(", ", missing.Select(m => $"'{m}'"))} (columns found: {string.Join(", ", header.Values)}).");
                    }
                }

                continue;
            }

            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (index, column) in header)
            {
                row[column] = index < reader.FieldCount ? reader.GetValue(index) : null;
            }

            if (row.Values.All(v => v is null || (v is string s && string.IsNullOrWhiteSpace(s))))
            {
                continue;
            }

            rows.Add(row);
        }

        return header is null
            ? throw new UpstreamFormatException($"The DFAT consolidated list has no header row with '{Reference}' and '{Name}'.")
            : rows;
    }

    private static (long Number, string Suffix) SplitReference(Dictionary<string, object?> row)
    {
        var text = Text(row, Reference) ?? throw new UpstreamFormatException($"A DFAT row has an empty {Reference} (name: '{Text(row, Name)}').");
        var match = ReferencePattern().Match(text.ToLowerInvariant());
        return match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? (number, match.Groups[2].Value)
            : throw new UpstreamFormatException($"DFAT {Reference} '{text}' is not a number with an optional letter suffix (e.g. 101 or 101a).");
    }

    private static SanctionsListingRecord ToListing(List<(Dictionary<string, object?> Row, string Suffix)> rows, long number)
    {
        var primary = rows.FirstOrDefault(r => string.Equals(Text(r.Row, NameType), "Primary Name", StringComparison.OrdinalIgnoreCase));
        if (primary.Row is null)
        {
            primary = rows.FirstOrDefault(r => r.Suffix.Length == 0);
        }

        if (primary.Row is null)
        {
            primary = rows[0];
        }

        var row = primary.Row;
        var reference = number.ToString(CultureInfo.InvariantCulture);
        var name = Text(row, Name) ?? throw new UpstreamFormatException($"DFAT listing {reference} has no name.");
        var type = Text(row, Type) ?? throw new UpstreamFormatException($"DFAT listing {reference} has no {Type}.");
        return new SanctionsListingRecord(
            reference,
            name,
            type,
            SnapshotJson.Sorted(rows.Where(r => !ReferenceEquals(r.Row, row)).Select(r => Text(r.Row, Name))),
            DateText(row, "Date of Birth"),
            Text(row, "Place of Birth"),
            Text(row, "Citizenship"),
            Text(row, "Listing Information"),
            Text(row, "Committees"),
            ControlDate(row, reference),
            Text(row, "Instrument of Designation"));
    }

    private static string? Text(Dictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>A date of birth: real dates as yyyy-MM-dd, anything else (partial, "circa", lists) as the source text.</summary>
    private static string? DateText(Dictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var value) && value is DateTime date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Text(row, column);

    private static DateOnly? ControlDate(Dictionary<string, object?> row, string reference)
    {
        if (!row.TryGetValue("Control Date", out var value) || value is null)
        {
            return null;
        }

        return value switch
        {
            DateTime date => DateOnly.FromDateTime(date),
            double serial when serial is > 0 and < 2958466 => DateOnly.FromDateTime(DateTime.FromOADate(serial)),
            string text when string.IsNullOrWhiteSpace(text) => null,
            string text when DateOnly.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) => parsed,
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 0 and < 2958466 => DateOnly.FromDateTime(DateTime.FromOADate(serial)),
            _ => throw new UpstreamFormatException($"DFAT listing {reference}: Control Date '{value}' is neither a date nor an Excel date serial."),
        };
    }

    /// <summary>
    /// ExcelDataReader's configuration defaults to Windows-1252 even for XLSX, which .NET only knows once the code-page
    /// provider (in the shared framework, no package needed) is registered. Registering is idempotent.
    /// </summary>
    private static void EnsureCodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [GeneratedRegex(@"^(\d+)\s*([a-z]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
