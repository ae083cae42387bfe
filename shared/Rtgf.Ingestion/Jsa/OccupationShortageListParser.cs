using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExcelDataReader;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Jsa;

/// <summary>
/// Reads JSA's Occupation Shortage List workbook (<c>{year} Occupation Shortage List - 6 digit ANZSCO and OSCA.xlsx</c>):
/// sheets <c>{year} OSL (ANZSCO 2022)</c> and <c>{year} OSL (OSCA 2024)</c>, each a banner, a header row and one row per
/// occupation, then footnotes. Strict: the whole list or an <see cref="UpstreamFormatException"/> naming sheet, row and
/// column (A1 style).
/// </summary>
/// <remarks>
/// The header row is the first row with a cell <c>NSW</c>, wherever it is. Columns are found by header text, not position:
/// a header cell's text is joined to the cell above it when the row above is a header band too (two or more cells: a
/// two-row header, or a merged cell whose text sits in its top-left), so moved columns and merged header rows read the
/// same. A row without a code and without ratings is a blank or a footnote; data after the footnotes is refused.
/// </remarks>
public static partial class OccupationShortageListParser
{
    private static readonly Dictionary<string, string> RatingWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Shortage"] = "S",
        ["No Shortage"] = "NS",
        ["Regional Shortage"] = "R",
        ["Metropolitan Shortage"] = "M",
        ["Metro Shortage"] = "M",
    };

    public static OccupationShortageList Parse(Stream xlsx)
    {
        ArgumentNullException.ThrowIfNull(xlsx);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // ExcelDataReader's default code page; idempotent
        Dictionary<string, List<object?[]>> sheets;
        try
        {
            sheets = ReadSheets(xlsx);
        }
        catch (Exception ex) when (ex is not UpstreamFormatException and not OperationCanceledException)
        {
            throw new UpstreamFormatException($"The Occupation Shortage List is not a readable XLSX workbook: {ex.Message}", ex);
        }

        var anzsco = sheets.Keys.Select(n => SheetPattern().Match(n)).Where(m => m.Success && m.Groups[2].Value == "ANZSCO 2022").ToList();
        if (anzsco.Count != 1)
        {
            throw new UpstreamFormatException(
                $"The Occupation Shortage List workbook has {(anzsco.Count == 0 ? "no" : "more than one")} sheet named '<year> OSL (ANZSCO 2022)' (sheets: {string.Join(", ", sheets.Keys.Select(k => $"'{k}'"))}).");
        }

        var year = int.Parse(anzsco[0].Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        var osca = $"{year} OSL (OSCA 2024)";
        if (!sheets.TryGetValue(osca, out var oscaRows))
        {
            throw new UpstreamFormatException($"The Occupation Shortage List workbook has no sheet '{osca}' (sheets: {string.Join(", ", sheets.Keys.Select(k => $"'{k}'"))}).");
        }

        var records = new List<OccupationShortageRecord>();
        records.AddRange(ParseSheet(anzsco[0].Value, sheets[anzsco[0].Value], OccupationShortageRecord.AnzscoClassification, year));
        records.AddRange(ParseSheet(osca, oscaRows, OccupationShortageRecord.OscaClassification, year));
        return new OccupationShortageList(year, records);
    }

    private static Dictionary<string, List<object?[]>> ReadSheets(Stream xlsx)
    {
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(xlsx, new ExcelReaderConfiguration { LeaveOpen = true });
        var sheets = new Dictionary<string, List<object?[]>>(StringComparer.Ordinal);
        do
        {
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.GetValue(i);
                }

                rows.Add(row);
            }

            sheets[reader.Name] = rows;
        }
        while (reader.NextResult());
        return sheets;
    }

    private static List<OccupationShortageRecord> ParseSheet(string sheet, List<object?[]> rows, string classification, int year)
    {
        var header = rows.FindIndex(r => r.Any(c => string.Equals(Text(c), "NSW", StringComparison.OrdinalIgnoreCase)));
        if (header < 0)
        {
            throw new UpstreamFormatException($"sheet '{sheet}': no header row (no cell 'NSW' in {rows.Count} rows).");
        }

        var columns = MapColumns(sheet, rows, header);
        var records = new List<OccupationShortageRecord>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int? notesAt = null;
        for (var r = header + 1; r < rows.Count; r++)
        {
            var row = rows[r];
            var line = r + 1;
            var code = Cell(row, columns.Code);
            var rated = columns.Ratings.Any(c => !IsBlank(Cell(row, c)));
            if (!rated && (IsBlank(code) || (code is string text && !DigitsPattern().IsMatch(text.Trim()))))
            {
                // A blank row, or a footnote (text in column A, no code): the data has ended.
                notesAt ??= row.Any(c => !IsBlank(c)) ? line : null;
                continue;
            }

            string Where(int column) => $"sheet '{sheet}' row {line} column {Column(column)}";
            if (notesAt is { } notes)
            {
                throw new UpstreamFormatException($"{Where(columns.Code)}: an occupation row after the footnotes that start on row {notes}.");
            }

            var occupation = ParseCode(code, Where(columns.Code));
            if (seen.TryGetValue(occupation, out var first))
            {
                throw new UpstreamFormatException($"{Where(columns.Code)}: occupation code {occupation} again (first on row {first}).");
            }

            seen[occupation] = line;
            var title = Text(Cell(row, columns.Title)) ?? throw new UpstreamFormatException($"{Where(columns.Title)}: occupation {occupation} has no title.");
            var national = Rating(Cell(row, columns.National), Where(columns.National));
            var states = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (state, column) in columns.States)
            {
                states[state] = Rating(Cell(row, column), Where(column));
            }

            var skill = columns.SkillLevel is { } s ? SkillLevel(Cell(row, s), Where(s)) : null;
            if (columns.MajorGroup is { } m && MajorGroup(Cell(row, m)) is { } group && group != occupation[0] - '0')
            {
                throw new UpstreamFormatException($"{Where(m)}: major group '{Text(Cell(row, m))}' does not match occupation code {occupation}.");
            }

            records.Add(new OccupationShortageRecord(classification, occupation, title, year, national, states, skill));
        }

        return records.Count > 0 ? records : throw new UpstreamFormatException($"sheet '{sheet}': no occupation rows after the header on row {header + 1}.");
    }

    private static Columns MapColumns(string sheet, List<object?[]> rows, int header)
    {
        var own = rows[header];
        var above = header > 0 && rows[header - 1].Count(c => !IsBlank(c)) >= 2 ? rows[header - 1] : [];
        int? code = null, title = null, national = null, skill = null, major = null;
        var states = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new List<string>();
        void Set(ref int? slot, int column, string role, string label)
        {
            if (slot is { } other)
            {
                throw new UpstreamFormatException($"sheet '{sheet}' row {header + 1} column {Column(column)}: a second {role} column '{label}' (the first is column {Column(other)}).");
            }

            slot = column;
        }

        for (var c = 0; c < Math.Max(own.Length, above.Length); c++)
        {
            var text = Text(Cell(own, c));
            var up = Text(Cell(above, c));
            var label = text is null ? up : up is null ? text : up + " " + text;
            if (label is null)
            {
                continue;
            }

            labels.Add($"{Column(c)} '{label}'");
            var state = OccupationShortageRecord.StateCodes.FirstOrDefault(s => string.Equals(s, text, StringComparison.OrdinalIgnoreCase));
            if (state is not null)
            {
                if (!states.TryAdd(state, c))
                {
                    throw new UpstreamFormatException($"sheet '{sheet}' row {header + 1} column {Column(c)}: a second {state} column (the first is column {Column(states[state])}).");
                }
            }
            else if (label.Contains("code", StringComparison.OrdinalIgnoreCase))
            {
                Set(ref code, c, "occupation code", label);
            }
            else if (label.Contains("title", StringComparison.OrdinalIgnoreCase))
            {
                Set(ref title, c, "occupation title", label);
            }
            else if (label.Contains("national", StringComparison.OrdinalIgnoreCase) || label.Contains("No Shortage", StringComparison.OrdinalIgnoreCase))
            {
                Set(ref national, c, "national rating", label);
            }
            else if (label.Contains("skill level", StringComparison.OrdinalIgnoreCase))
            {
                Set(ref skill, c, "skill level", label);
            }
            else if (label.Contains("major", StringComparison.OrdinalIgnoreCase))
            {
                Set(ref major, c, "major group", label);
            }
        }

        var missing = new List<string>();
        if (code is null)
        {
            missing.Add("occupation code");
        }

        if (title is null)
        {
            missing.Add("occupation title");
        }

        if (national is null)
        {
            missing.Add("national rating");
        }

        missing.AddRange(OccupationShortageRecord.StateCodes.Where(s => !states.ContainsKey(s)));
        if (missing.Count > 0)
        {
            throw new UpstreamFormatException($"sheet '{sheet}' row {header + 1}: no {string.Join(", ", missing)} column (columns found: {string.Join(", ", labels)}).");
        }

        var ordered = OccupationShortageRecord.StateCodes.Select(s => (s, states[s])).ToList();
        return new Columns(code!.Value, title!.Value, national!.Value, ordered, skill, major);
    }

    private static string ParseCode(object? cell, string where)
    {
        var digits = cell switch
        {
            double number when number >= 0 && number < 1_000_000 && number == Math.Floor(number) => ((int)number).ToString(CultureInfo.InvariantCulture),
            string text when DigitsPattern().IsMatch(text.Trim()) => text.Trim(),
            _ => null,
        };

        // Excel stores codes as integers: a code that starts with 0 would lose it, but no major group is 0.
        var code = digits?.PadLeft(6, '0');
        return code is { Length: 6 } && code[0] is >= '1' and <= '8'
            ? code
            : throw new UpstreamFormatException($"{where}: '{Text(cell)}' is not a 6-digit occupation code in major groups 1-8.");
    }

    private static string Rating(object? cell, string where)
    {
        var text = Text(cell) ?? throw new UpstreamFormatException($"{where}: blank rating.");
        return text switch
        {
            "S" or "R" or "M" or "NS" => text,
            _ when RatingWords.TryGetValue(WhitespacePattern().Replace(text, " "), out var code) => code,
            _ => throw new UpstreamFormatException($"{where}: rating '{text}' is not one of S, R, M, NS (or Shortage, No Shortage, Regional Shortage, Metropolitan Shortage)."),
        };
    }

    private static int? SkillLevel(object? cell, string where)
    {
        if (IsBlank(cell))
        {
            return null;
        }

        return Integer(cell) is { } level and >= 1 and <= 5
            ? level
            : throw new UpstreamFormatException($"{where}: skill level '{Text(cell)}' is not 1-5.");
    }

    private static int? Integer(object? cell) => cell switch
    {
        double number when number == Math.Floor(number) && Math.Abs(number) < int.MaxValue => (int)number,
        string text when int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) => value,
        _ => null,
    };

    /// <summary>
    /// The major group a cell names: a number, or the leading digits of a text (<c>1 - Managers</c>); null when the cell is
    /// blank or a text without a leading digit (<c>Managers</c>), which the optional column cannot be checked against.
    /// </summary>
    private static int? MajorGroup(object? cell)
    {
        if (Integer(cell) is { } number)
        {
            return number;
        }

        var text = Text(cell) ?? string.Empty;
        var digits = text.TakeWhile(char.IsAsciiDigit).Count();
        return digits is > 0 and < 9 ? int.Parse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture) : null;
    }

    private static object? Cell(object?[] row, int column) => column < row.Length ? row[column] : null;

    private static bool IsBlank(object? cell) => Text(cell) is null;

    private static string? Text(object? cell) => Convert.ToString(cell, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>Excel's column letters for a 0-based index (0 → A, 26 → AA).</summary>
    internal static string Column(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private sealed record Columns(int Code, int Title, int National, IReadOnlyList<(string State, int Column)> States, int? SkillLevel, int? MajorGroup)
    {
        public IEnumerable<int> Ratings => States.Select(s => s.Column).Prepend(National);
    }

    [GeneratedRegex(@"^(\d{4}) OSL \((ANZSCO 2022|OSCA 2024)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex SheetPattern();

    [GeneratedRegex(@"^\d{1,6}$", RegexOptions.CultureInvariant)]
    private static partial Regex DigitsPattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();
}
