using System.Globalization;
using System.Text;
using CsvHelper;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Calendar;

/// <summary>
/// One year's file of data.gov.au's "Australian Holidays machine readable dataset"
/// (<c>australian_public_holidays_{yyyy}.csv</c>): columns found by name, ignoring case — <c>Date</c> (<c>YYYYMMDD</c>),
/// <c>Holiday Name</c>, optional <c>Information</c> and <c>More Information</c> (a URL), and the jurisdiction in
/// <c>Jurisdiction</c> or, in files before 2020, <c>Applicable To</c> (<c>Raw Date</c> and other columns are ignored).
/// A jurisdiction is a state code in any case (<c>nsw</c>, <c>NSW</c>) or <c>national</c>/<c>NAT</c>, which stands for every
/// state. The dataset is no longer maintained, so two slips are tolerated: a <c>national</c> row and a state's own row on
/// the same (date, state) with different names keep the state's row (the more specific one), and a <c>More Information</c>
/// that is not an http(s) URL is read as no link (it is only a pointer for people). Anything else — bytes that are not
/// UTF-8, a bad date, an unknown jurisdiction, an empty name, two different state rows (or two different national rows)
/// on one (date, state) — is an <see cref="UpstreamFormatException"/> naming the resource (and row and column); the same
/// row twice is kept once.
/// </summary>
public static class PublicHolidaysCsvParser
{
    public const string DateColumn = "Date";
    public const string NameColumn = "Holiday Name";
    public const string InformationColumn = "Information";
    public const string MoreInformationColumn = "More Information";
    public const string JurisdictionColumn = "Jurisdiction";
    public const string ApplicableToColumn = "Applicable To";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IReadOnlyList<CalendarDateRecord> Parse(Stream csv, string resource)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(resource);
        using var bytes = new MemoryStream();
        csv.CopyTo(bytes);
        try
        {
            _ = StrictUtf8.GetCharCount(bytes.GetBuffer(), 0, (int)bytes.Length);
        }
        catch (DecoderFallbackException e)
        {
            throw new UpstreamFormatException($"Holidays resource {resource} is not UTF-8 text (invalid bytes at offset {e.Index.ToString(CultureInfo.InvariantCulture)}).", e);
        }

        bytes.Position = 0;
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
            using var reader = CsvReader.Create(bytes, options, true);
            var header = reader.Headers.Select(h => h.Trim().TrimStart('\uFEFF').Trim()).ToList();
            int Column(string name) => header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            var date = Column(DateColumn);
            var name = Column(NameColumn);
            var information = Column(InformationColumn);
            var more = Column(MoreInformationColumn);
            var jurisdiction = Column(JurisdictionColumn);
            var jurisdictionName = JurisdictionColumn;
            if (jurisdiction < 0)
            {
                jurisdiction = Column(ApplicableToColumn);
                jurisdictionName = ApplicableToColumn;
            }

            var missing = new List<string>();
            if (date < 0)
            {
                missing.Add(DateColumn);
            }

            if (name < 0)
            {
                missing.Add(NameColumn);
            }

            if (jurisdiction < 0)
            {
                missing.Add($"{JurisdictionColumn}' or '{ApplicableToColumn}");
            }

            if (missing.Count > 0)
            {
                throw new UpstreamFormatException(
                    $"Holidays resource {resource}: no column {string.Join(", ", missing.Select(m => $"'{m}'"))} (columns found: {string.Join(", ", header.Select(h => $"'{h}'"))}).");
            }

            var records = new Dictionary<string, (CalendarDateRecord Record, long Row, bool National)>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var row = reader.LineNumber;
                string? Cell(int index) => index < 0 ? null : reader.GetString(index).Trim() is { Length: > 0 } text ? text : null;
                UpstreamFormatException Error(string column, string problem) => new($"Holidays resource {resource}, row {row}, column '{column}': {problem}");

                if (Enumerable.Range(0, header.Count).All(i => Cell(i) is null))
                {
                    continue; // a blank line at the end of a hand-edited file
                }

                var day = ParseDate(Cell(date), e => Error(DateColumn, e));
                var title = Cell(name) ?? throw Error(NameColumn, "empty holiday name.");
                // A link that is not an http(s) URL ("see the website") is dropped: it is only a pointer for people.
                var link = Cell(more) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? text : null;
                var states = States(Cell(jurisdiction), e => Error(jurisdictionName, e), out var national);
                foreach (var state in states)
                {
                    var record = new CalendarDateRecord(CalendarDateRecord.HolidayKind, day, state, title, Cell(information), link, EffectiveFrom: null);
                    if (records.TryGetValue(record.Key, out var seen) && seen.Record != record)
                    {
                        if (seen.National == national)
                        {
                            throw Error(jurisdictionName, $"{state} has two different holidays on {CalendarDateRecord.DateText(day)} ('{seen.Record.Title}' on row {seen.Row}, '{title}' here).");
                        }

                        if (national)
                        {
                            continue; // the state's own row, already read, is the more specific one
                        }
                    }
                    else if (seen.Record is not null)
                    {
                        continue;
                    }

                    records[record.Key] = (record, row, national);
                }
            }

            return [.. records.Values.Select(v => v.Record).OrderBy(r => r.Key, StringComparer.Ordinal)];
        }
        catch (CsvFormatException e)
        {
            throw new UpstreamFormatException($"Holidays resource {resource} is not valid CSV: {e.Message}", e);
        }
    }

    private static DateOnly ParseDate(string? text, Func<string, UpstreamFormatException> error)
    {
        if (text is null)
        {
            throw error("empty date.");
        }

        return text.Length == 8 && text.All(char.IsAsciiDigit)
            && DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw error($"'{text}' is not a date in the form YYYYMMDD.");
    }

    private static IEnumerable<string> States(string? text, Func<string, UpstreamFormatException> error, out bool national)
    {
        if (text is null)
        {
            throw error("empty jurisdiction.");
        }

        var upper = text.ToUpperInvariant();
        national = upper is "NATIONAL" or "NAT";
        if (national)
        {
            return CalendarDateRecord.States;
        }

        return CalendarDateRecord.States.Contains(upper, StringComparer.Ordinal)
            ? [upper]
            : throw error($"unknown jurisdiction '{text}' (expected one of {string.Join(", ", CalendarDateRecord.States)} in any case, or national).");
    }
}
