using Rtgf.UpstreamSimulator.DataGovAu;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Calendar;

/// <summary>One year's file of the simulated holidays dataset: its CKAN resource id and when it last changed.</summary>
internal sealed record HolidayYear(int Year, string ResourceId, DateTimeOffset Modified);

/// <summary>One row of a holidays CSV: the date, the holiday and the jurisdiction as the file writes it.</summary>
internal sealed record HolidayRow(DateOnly Date, string Name, string Information, string MoreInformation, string Jurisdiction);

/// <summary>
/// The content of data.gov.au's "Australian Holidays machine readable dataset" as the simulator serves it. Which files
/// exist (resource ids, names, dates) is the catalogue's (<see cref="DataGovAuCatalogue"/>, the one <c>package_show</c>);
/// this reads the year files from there and writes each year's CSV: the current layout (<c>Jurisdiction</c>, one row per
/// state; the year before the world's clock with upper-case codes, as some real files have), and
/// <see cref="OldLayoutYear"/> in the old layout (<c>Raw Date</c>, <c>Applicable To</c>, a national holiday as one
/// <c>NAT</c> row). The holidays are the real national ones by their rules (New Year's Day, Australia Day, Good Friday,
/// Easter Monday, Anzac Day, King's Birthday on each state's day, Christmas and Boxing Day) and one show day whose state
/// and month follow the world seed. Read it under the world's gate.
/// </summary>
internal sealed class HolidayDataset(ulong seed, DataGovAuCatalogue catalogue, DateTimeOffset clock)
{
    public const int OldLayoutYear = 2019;

    public static readonly string[] States = ["nsw", "vic", "qld", "sa", "wa", "tas", "nt", "act"];

    /// <summary>The year files the catalogue lists (withdrawn or not), by year.</summary>
    public IReadOnlyList<HolidayYear> Years =>
        [.. (catalogue.Find(DataGovAuCatalogue.HolidaysId)?.Resources ?? [])
            .Select(r => DataGovAuCatalogue.HolidaysYear(r.Name) is { } year ? new HolidayYear(year, r.Id, r.LastModified ?? r.Created) : null)
            .OfType<HolidayYear>()
            .OrderBy(y => y.Year)];

    /// <summary>The current-layout year written with upper-case state codes.</summary>
    public int UpperCaseYear { get; } = clock.Year - 1;

    public HolidayYear? Find(string resourceId) => Years.FirstOrDefault(y => y.ResourceId == resourceId);

    public static string FileName(int year) => DataGovAuCatalogue.HolidaysFileName(year);

    /// <summary>The year's holidays, one per (date, state), ordered by date then state.</summary>
    public IReadOnlyList<HolidayRow> Rows(int year)
    {
        var rows = new List<HolidayRow>();
        void All(DateOnly date, string name, string information)
        {
            foreach (var state in States)
            {
                rows.Add(new HolidayRow(date, name, information, string.Empty, state));
            }
        }

        var easter = EasterSunday(year);
        All(new DateOnly(year, 1, 1), "New Year's Day", "New Year's Day is the first day of the calendar year.");
        All(Mondayised(new DateOnly(year, 1, 26)), "Australia Day", "Always celebrated on 26 January");
        All(easter.AddDays(-2), "Good Friday", "Easter is celebrated with Good Friday and Easter Monday creating a 4 day long weekend");
        All(easter.AddDays(1), "Easter Monday", "Easter is celebrated with Good Friday and Easter Monday creating a 4 day long weekend");
        All(new DateOnly(year, 4, 25), "Anzac Day", "Anzac Day is observed on 25 April each year.");
        foreach (var state in States)
        {
            var kings = state switch
            {
                "qld" => NthWeekday(year, 10, DayOfWeek.Monday, 1),
                "wa" => LastWeekday(year, 9, DayOfWeek.Monday),
                _ => NthWeekday(year, 6, DayOfWeek.Monday, 2),
            };
            rows.Add(new HolidayRow(kings, year >= 2023 ? "King's Birthday" : "Queen's Birthday", "Celebrated on a different day in some states.", "https://www.pmc.gov.au/honours-and-symbols", state));
        }

        All(new DateOnly(year, 12, 25), "Christmas Day", "Christmas Day is celebrated on 25 December each year.");
        All(new DateOnly(year, 12, 26), "Boxing Day", "Boxing Day is celebrated on 26 December each year.");
        var random = new SplitMix64(seed ^ (ulong)year);
        var showState = random.Pick(States);
        var show = NthWeekday(year, random.Next(8, 11), DayOfWeek.Wednesday, random.Next(1, 4));
        rows.Add(new HolidayRow(show, "Royal Show Day", "Show day in the capital city only.", string.Empty, showState));
        return [.. rows.OrderBy(r => r.Date).ThenBy(r => Array.IndexOf(States, r.Jurisdiction))];
    }

    /// <summary>Easter Sunday (anonymous Gregorian algorithm).</summary>
    internal static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    private static DateOnly Mondayised(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => date.AddDays(2),
        DayOfWeek.Sunday => date.AddDays(1),
        _ => date,
    };

    private static DateOnly NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays((((int)day - (int)first.DayOfWeek + 7) % 7) + (7 * (n - 1)));
    }

    private static DateOnly LastWeekday(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)day + 7) % 7));
    }
}
