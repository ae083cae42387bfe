using System.Globalization;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Calendar;

/// <summary>One year's file of the simulated holidays dataset: its CKAN resource id and when it was published.</summary>
internal sealed record HolidayYear(int Year, string ResourceId, DateTimeOffset Created);

/// <summary>One row of a holidays CSV: the date, the holiday and the jurisdiction as the file writes it.</summary>
internal sealed record HolidayRow(DateOnly Date, string Name, string Information, string MoreInformation, string Jurisdiction);

/// <summary>
/// data.gov.au's "Australian Holidays machine readable dataset" as the simulator serves it: a file per year for the
/// year before the world's clock, its year and the next (current layout: <c>Jurisdiction</c>, one row per state; the
/// earliest of them with upper-case codes, as some real files have), plus 2019 in the old layout (<c>Raw Date</c>,
/// <c>Applicable To</c>, a national holiday as one <c>NAT</c> row). The holidays are the real national ones by their
/// rules (New Year's Day, Australia Day, Good Friday, Easter Monday, Anzac Day, King's Birthday on each state's day,
/// Christmas and Boxing Day) and one show day whose state and month follow the world seed. Resource ids are derived
/// from the seed and year. Change it under the world's gate.
/// </summary>
internal sealed class HolidayDataset
{
    public const string DatasetId = "b1bc6077-dadd-4f61-9f8c-002ab2cdff10";
    public const string Slug = "australian-holidays-machine-readable-dataset";
    public const int OldLayoutYear = 2019;
    public const string CombinedResourceId = "33673aca-0857-42e5-b8f0-9981b4755686";

    public static readonly string[] States = ["nsw", "vic", "qld", "sa", "wa", "tas", "nt", "act"];

    private readonly ulong _seed;
    private readonly List<HolidayYear> _years = [];

    public HolidayDataset(ulong seed, DateTimeOffset clock)
    {
        _seed = seed;
        _years.Add(new HolidayYear(OldLayoutYear, ResourceIdFor(OldLayoutYear), new DateTimeOffset(OldLayoutYear - 1, 11, 1, 0, 0, 0, TimeSpan.Zero)));
        for (var year = clock.Year - 1; year <= clock.Year + 1; year++)
        {
            _years.Add(new HolidayYear(year, ResourceIdFor(year), new DateTimeOffset(year - 1, 11, 1, 0, 0, 0, TimeSpan.Zero)));
        }
    }

    public IReadOnlyList<HolidayYear> Years => _years;

    /// <summary>The current-layout year written with upper-case state codes.</summary>
    public int UpperCaseYear => _years[1].Year;

    public HolidayYear? Find(string resourceId) => _years.FirstOrDefault(y => y.ResourceId == resourceId);

    /// <summary>Publishes the next year's file (a new resource), stamped with the world's clock.</summary>
    public HolidayYear AddYear(DateTimeOffset clock)
    {
        var year = _years.Max(y => y.Year) + 1;
        var added = new HolidayYear(year, ResourceIdFor(year), clock);
        _years.Add(added);
        return added;
    }

    public static string FileName(int year) => $"australian_public_holidays_{year.ToString(CultureInfo.InvariantCulture)}.csv";

    public static string DownloadPath(HolidayYear year) => $"/data/dataset/{DatasetId}/resource/{year.ResourceId}/download/{FileName(year.Year)}";

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
        var random = new SplitMix64(_seed ^ (ulong)year);
        var showState = random.Pick(States);
        var show = NthWeekday(year, random.Next(8, 11), DayOfWeek.Wednesday, random.Next(1, 4));
        rows.Add(new HolidayRow(show, "Royal Show Day", "Show day in the capital city only.", string.Empty, showState));
        return [.. rows.OrderBy(r => r.Date).ThenBy(r => Array.IndexOf(States, r.Jurisdiction))];
    }

    private string ResourceIdFor(int year)
    {
        var random = new SplitMix64(_seed ^ (0x686F6C6964617973UL + (ulong)year));
        var hex = string.Concat(Enumerable.Range(0, 2).Select(_ => random.NextUInt64().ToString("x16", CultureInfo.InvariantCulture)));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
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
