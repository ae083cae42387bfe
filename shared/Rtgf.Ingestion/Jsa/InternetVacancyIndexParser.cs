using System.Globalization;
using System.Text;
using ExcelDataReader;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Jsa;

/// <summary>
/// Reads JSA's Internet Vacancy Index "ANZSCO4 Occupations, States and Territories" workbook (sheet
/// <see cref="Anzsco4Sheet"/>) into one <see cref="VacancySeriesRecord"/> per (state, code) with every month, strictly:
/// <list type="bullet">
/// <item>the header row is the first row (within the first 50) with a cell naming an identifier column, and it must name
/// <c>ANZSCO_CODE</c>, <c>ANZSCO_TITLE</c> and <c>State</c> (banner rows above it are skipped); identifier columns are found
/// by name, in any order and case, with <c>Level</c> optional (newer files have none: the level is then the code's length,
/// 0 for the total's <c>0</c>);</item>
/// <item>every other non-empty header cell is a month: an Excel date serial (origin 1899-12-30) or a date cell, the first of
/// a month, each month once;</item>
/// <item>a value is a non-negative number (a number cell or invariant numeric text); <c>.</c> is JSA's "suppressed" and
/// means no observation; a blank cell is an error (the IVI publishes dense series: a hole is a damaged file, not a
/// missing month);</item>
/// <item>states are <c>NSW</c> … <c>ACT</c> and <c>AUST</c>; the level, given or inferred, is 0, 1, 2 or 4 (the IVI has
/// no 3-digit level); a code has as many digits as its level (0 for the total, code <c>0</c>) and a major group 1–8; a row
/// whose code is <c>.</c> (a wholly suppressed unit group) must have <c>.</c> in every month and is skipped; each
/// (state, code) appears once;</item>
/// <item>rows with no identifiers and no values (blank rows, footnotes) are skipped.</item>
/// </list>
/// Anything else is an <see cref="UpstreamFormatException"/> naming the sheet, the row and the column.
/// </summary>
public static class InternetVacancyIndexParser
{
    public const string Anzsco4Sheet = "4 digit 3 month average";

    /// <summary>The series name of the ANZSCO4 workbook: 4-digit groups, 3-month moving average.</summary>
    public const string Anzsco4Series = "anzsco4-3mma";

    private const string CodeColumn = "ANZSCO_CODE";
    private const string TitleColumn = "ANZSCO_TITLE";
    private const string StateColumn = "State";
    private const string LevelColumn = "Level";
    private const string Suppressed = ".";
    private const int MaxBannerRows = 50;

    private static readonly HashSet<string> StateCodes = new(["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT", "AUST"], StringComparer.Ordinal);
    private static readonly DateTime ExcelEpoch = new(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified);

    public static IReadOnlyList<VacancySeriesRecord> Parse(Stream xlsx, string sheet = Anzsco4Sheet, string series = Anzsco4Series)
    {
        ArgumentNullException.ThrowIfNull(xlsx);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // ExcelDataReader's default code page (idempotent)
        try
        {
            using var reader = ExcelReaderFactory.CreateOpenXmlReader(xlsx, new ExcelReaderConfiguration { LeaveOpen = true });
            var sheets = new List<string>();
            do
            {
                if (string.Equals(reader.Name, sheet, StringComparison.Ordinal))
                {
                    return new SheetParser(reader, sheet, series).Parse();
                }

                sheets.Add(reader.Name);
            }
            while (reader.NextResult());

            throw new UpstreamFormatException($"IVI workbook: no sheet '{sheet}' (sheets: {string.Join(", ", sheets.Select(s => $"'{s}'"))}).");
        }
        catch (Exception ex) when (ex is not UpstreamFormatException and not OperationCanceledException)
        {
            throw new UpstreamFormatException($"The IVI workbook is not a readable XLSX workbook: {ex.Message}", ex);
        }
    }

    /// <summary>Excel's column letters for a 0-based index (A, …, Z, AA, …).</summary>
    internal static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private sealed class SheetParser(IExcelDataReader reader, string sheet, string series)
    {
        private int _row;
        private int _code = -1;
        private int _title = -1;
        private int _state = -1;
        private int _level = -1;
        private readonly List<(int Column, DateOnly Month)> _months = [];

        public List<VacancySeriesRecord> Parse()
        {
            FindHeader();
            var records = new List<VacancySeriesRecord>();
            var seen = new Dictionary<(string State, string Code), int>();
            while (reader.Read())
            {
                _row++;
                if (ParseRow() is not { } record)
                {
                    continue;
                }

                if (seen.TryGetValue((record.State, record.Code), out var first))
                {
                    throw Error(_code, $"{record.State} {record.Code} appears again (first on row {first}): each state and code is one series");
                }

                seen.Add((record.State, record.Code), _row);
                records.Add(record);
            }

            return [.. records.OrderBy(r => r.State, StringComparer.Ordinal).ThenBy(r => r.Code, StringComparer.Ordinal)];
        }

        /// <summary>The header is the first row naming an identifier column; banner rows above it are skipped.</summary>
        private void FindHeader()
        {
            while (reader.Read())
            {
                _row++;
                if (Enumerable.Range(0, reader.FieldCount).Any(i => IdentifierOf(Text(i)) is not null))
                {
                    MapHeader();
                    return;
                }

                if (_row >= MaxBannerRows)
                {
                    break;
                }
            }

            throw new UpstreamFormatException($"IVI workbook, sheet '{sheet}': no header row naming '{CodeColumn}', '{TitleColumn}' or '{StateColumn}' in the first {_row} row(s).");
        }

        private void MapHeader()
        {
            var identifiers = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (IdentifierOf(Text(i)) is { } name && !identifiers.TryAdd(name, i))
                {
                    throw Error(i, $"'{name}' heads two columns ({ColumnName(identifiers[name])} and {ColumnName(i)})");
                }
            }

            var missing = new[] { CodeColumn, TitleColumn, StateColumn }.Where(c => !identifiers.ContainsKey(c)).ToList();
            if (missing.Count > 0)
            {
                throw new UpstreamFormatException(
                    $"IVI workbook, sheet '{sheet}', row {_row}: no column {string.Join(", ", missing.Select(m => $"'{m}'"))} (identifier columns found: {string.Join(", ", identifiers.Select(p => $"{p.Key} ({ColumnName(p.Value)})"))}).");
            }

            _code = identifiers[CodeColumn];
            _title = identifiers[TitleColumn];
            _state = identifiers[StateColumn];
            _level = identifiers.GetValueOrDefault(LevelColumn, -1);
            var months = new Dictionary<DateOnly, int>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (Text(i) is not { } text || IdentifierOf(text) is not null)
                {
                    continue;
                }

                var month = HeaderMonth(reader.GetValue(i), text, i);
                if (!months.TryAdd(month, i))
                {
                    throw Error(i, $"month {Iso(month)} heads two columns ({ColumnName(months[month])} and {ColumnName(i)})");
                }

                _months.Add((i, month));
            }

            if (_months.Count == 0)
            {
                throw new UpstreamFormatException($"IVI workbook, sheet '{sheet}', row {_row}: no month columns.");
            }
        }

        private static string? IdentifierOf(string? text) =>
            Is(text, CodeColumn) ? CodeColumn : Is(text, TitleColumn) ? TitleColumn : Is(text, StateColumn) ? StateColumn : Is(text, LevelColumn) ? LevelColumn : null;

        private DateOnly HeaderMonth(object value, string text, int column)
        {
            DateOnly? date = value switch
            {
                DateTime time when time.TimeOfDay == TimeSpan.Zero => DateOnly.FromDateTime(time),
                double serial when serial == Math.Floor(serial) && serial is >= 1 and < 2958466 => DateOnly.FromDateTime(ExcelEpoch.AddDays(serial)),
                string s when int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var serial) && serial is >= 1 and < 2958466 => DateOnly.FromDateTime(ExcelEpoch.AddDays(serial)),
                _ => null,
            };
            return date switch
            {
                null => throw Error(column, $"header '{text}' is neither an identifier column ({CodeColumn}, {TitleColumn}, {StateColumn}, {LevelColumn}) nor a month (an Excel date serial)"),
                { Day: not 1 } d => throw Error(column, $"month header {d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (serial '{text}') is not the first of a month"),
                { } d => d,
            };
        }

        private VacancySeriesRecord? ParseRow()
        {
            var code = Text(_code);
            var state = Text(_state);
            var title = Text(_title);
            var level = _level >= 0 ? Text(_level) : null;
            if (code is null && state is null && _months.All(m => Text(m.Column) is null))
            {
                return null; // a blank row, or a footnote (text in one of the other columns)
            }

            if (code == Suppressed)
            {
                // A wholly suppressed unit group: JSA publishes its row with code "." and "." for every month.
                foreach (var (column, _) in _months)
                {
                    if (Text(column) is not Suppressed)
                    {
                        throw Error(column, $"a row with code '.' (a suppressed group) has the value '{Text(column) ?? "(blank)"}', not '.'");
                    }
                }

                return null;
            }

            var stateCode = state ?? throw Error(_state, "no state");
            if (!StateCodes.Contains(stateCode))
            {
                throw Error(_state, $"unknown state '{stateCode}' (expected NSW, VIC, QLD, SA, WA, TAS, NT, ACT or AUST)");
            }

            var anzsco = code ?? throw Error(_code, "no ANZSCO code");
            var rowLevel = level is null ? (anzsco == "0" ? 0 : anzsco.Length) : ParseLevel(level);
            if (level is null && !IsLevel(rowLevel))
            {
                throw Error(_code, $"'{anzsco}' is not an ANZSCO code of level 1, 2 or 4 (the file has no '{LevelColumn}' column: the level is the code's length)");
            }

            if (!IsCode(anzsco, rowLevel))
            {
                throw Error(_code, rowLevel == 0
                    ? $"a level 0 (total) row has the code '{anzsco}', not '0'"
                    : $"'{anzsco}' is not an ANZSCO code of level {rowLevel} ({rowLevel} digits, major group 1-8)");
            }

            var points = new List<VacancyPoint>(_months.Count);
            foreach (var (column, month) in _months)
            {
                var value = column < reader.FieldCount ? reader.GetValue(column) : null;
                switch (value)
                {
                    case double number when number >= 0 && double.IsFinite(number):
                        points.Add(new VacancyPoint(month, (decimal)number));
                        break;
                    case string text when text.Trim() == Suppressed:
                        break;
                    case string text when decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed):
                        points.Add(new VacancyPoint(month, parsed));
                        break;
                    case null:
                    case string blank when string.IsNullOrWhiteSpace(blank):
                        throw Error(column, $"{Iso(month)} is blank (a suppressed month is '.')");
                    default:
                        throw Error(column, $"{Iso(month)} value '{Convert.ToString(value, CultureInfo.InvariantCulture)}' is not a non-negative number");
                }
            }

            return new VacancySeriesRecord(series, stateCode, anzsco, title ?? throw Error(_title, "no title"), rowLevel, points);
        }

        private int ParseLevel(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && IsLevel(level)
                ? level
                : throw Error(_level, $"level '{text}' is not an IVI level (0, 1, 2 or 4)");

        /// <summary>The IVI's levels: the total (0), major groups (1), sub-major groups (2) and unit groups (4).</summary>
        private static bool IsLevel(int level) => level is 0 or 1 or 2 or 4;

        private static bool IsCode(string code, int level) => level == 0
            ? code == "0"
            : code.Length == level && code.All(char.IsAsciiDigit) && code[0] is >= '1' and <= '8';

        /// <summary>A cell as trimmed invariant text (integral numbers without a decimal point); null when empty.</summary>
        private string? Text(int column)
        {
            if (column < 0 || column >= reader.FieldCount)
            {
                return null;
            }

            var text = reader.GetValue(column) switch
            {
                null => null,
                double number when number == Math.Floor(number) && Math.Abs(number) < 1e15 => ((long)number).ToString(CultureInfo.InvariantCulture),
                var value => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim(),
            };
            return string.IsNullOrEmpty(text) ? null : text;
        }

        private static string Iso(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        private static bool Is(string? text, string column) => string.Equals(text, column, StringComparison.OrdinalIgnoreCase);

        private UpstreamFormatException Error(int column, string message) =>
            new($"IVI workbook, sheet '{sheet}', row {_row}, column {(column < 0 ? "?" : ColumnName(column))}" +
                $"{(column >= 0 && column == _code ? " (" + CodeColumn + ")" : column >= 0 && column == _state ? " (" + StateColumn + ")" : column >= 0 && column == _title ? " (" + TitleColumn + ")" : column >= 0 && column == _level ? " (" + LevelColumn + ")" : string.Empty)}: {message}.");
    }
}
