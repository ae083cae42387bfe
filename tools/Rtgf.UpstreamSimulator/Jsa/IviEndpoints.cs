using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Jsa;

/// <summary>
/// Jobs and Skills Australia's Internet Vacancy Index: the landing page linking the month's workbook, and the
/// "ANZSCO4 Occupations, States and Territories" workbook for every reference month from <see cref="StartMonth"/> to the
/// world's <see cref="SimulatedWorld.IviMonth"/>, in the publication month's folder (reference month + 1). One sheet,
/// <see cref="Sheet"/>: a banner, the header row (<c>Level</c>, <c>State</c>, <c>ANZSCO_CODE</c>, <c>ANZSCO_TITLE</c>, then
/// one column per month headed by its Excel date serial), level-4 rows per unit group and state (states and <c>AUST</c>,
/// the sum of the states) and level-0 <c>TOTAL</c> rows, then a footnote. Values (3-month averages, one decimal) are a
/// hash of seed, code, state, month and the revisions that reached the month, so a new month appends and keeps history,
/// and a revision rewrites the 24 months up to its reference month.
/// </summary>
internal static class IviEndpoints
{
    public const string PagePath = "/data/internet-vacancy-index";
    public const string Sheet = "4 digit 3 month average";
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The first month of every series (the IVI starts in January 2006).</summary>
    public static readonly DateOnly StartMonth = new(2006, 1, 1);

    /// <summary>Row states, in the workbook's order; <c>AUST</c> is the national series.</summary>
    public static readonly string[] States = ["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT", "AUST"];

    /// <summary>How many months up to its reference month a revision rewrites.</summary>
    public const int RevisionWindowMonths = 24;

    private const string FilePrefix = "Internet Vacancies, ANZSCO4 Occupations, States and Territories - ";

    public static string FileName(DateOnly month) =>
        FilePrefix + month.ToString("MMMM yyyy", CultureInfo.InvariantCulture) + ".xlsx";

    /// <summary>The workbook's path: the publication month's folder, the file name percent-encoded as the site links it.</summary>
    public static string FilePath(DateOnly month) =>
        "/sites/default/files/" + month.AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture) + "/" + Uri.EscapeDataString(FileName(month));

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet(PagePath, async (HttpContext context) =>
        {
            DateOnly month;
            lock (world.Gate)
            {
                month = world.IviMonth;
            }

            var label = WebUtility.HtmlEncode(month.ToString("MMMM yyyy", CultureInfo.InvariantCulture));
            var html = $"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Internet Vacancy Index | Jobs and Skills Australia</title></head>
                <body><main><h1>Internet Vacancy Index</h1>
                <p>The IVI is based on a count of online job advertisements newly lodged on SEEK, CareerOne and Workforce Australia during the month. Latest release: {label}.</p>
                <h2>Data downloads</h2>
                <ul>
                <li><a href="{WebUtility.HtmlEncode(FilePath(month))}">Internet Vacancies, ANZSCO4 Occupations, States and Territories - {label}</a> (XLSX)</li>
                <li><a href="/data/internet-vacancy-index/ivi-methodology">IVI methodology</a></li>
                </ul></main></body></html>
                """;
            await HttpDownload.SendTextAsync(context, html, "text/html; charset=utf-8").ConfigureAwait(false);
        });

        // The file name's literal part is in the template (a complex segment, more specific than a plain {file}), so other
        // JSA files in the same folders (the OSL) route elsewhere; the slim builder has no regex constraints.
        app.MapGet("/sites/default/files/{folder}/" + FilePrefix + "{title}.xlsx", async (string folder, string title, HttpContext context) =>
        {
            var month = DateOnly.TryParseExact(folder + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var published)
                ? published.AddMonths(-1)
                : DateOnly.MinValue;
            if (month < StartMonth || !string.Equals(FilePrefix + title + ".xlsx", FileName(month), StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            byte[] xlsx;
            DateTimeOffset clock;
            lock (world.Gate)
            {
                if (month > world.IviMonth)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                var drift = context.Features.Get<SchemaDriftFeature>() is not null;
                var key = "ivi-anzsco4:" + month.ToString("yyyy-MM", CultureInfo.InvariantCulture) + ":" + Revisions(world, month).ToString(CultureInfo.InvariantCulture);
                xlsx = drift ? Workbook(world, month, drift: true) : world.Cached(key, () => Workbook(world, month, drift: false));
                clock = world.Clock;
            }

            await HttpDownload.SendAsync(context, xlsx, ContentType, clock).ConfigureAwait(false);
        });
    }

    /// <summary>The unit groups (first four digits of the world's occupations), each titled after its first occupation.</summary>
    internal static List<(string Code, string Title)> UnitGroups(SimulatedWorld world) =>
        [.. world.Occupations.GroupBy(o => o.UnitGroup, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.OrderBy(o => o.Code, StringComparer.Ordinal).First().Title + "s"))];

    /// <summary>
    /// The workbook of reference month <paramref name="month"/>. Drifted, <c>ANZSCO_CODE</c> is headed <c>ANZSCO4_CODE</c>
    /// and <c>State</c> moves after the title (a moved column alone would still parse). Call under <see cref="SimulatedWorld.Gate"/>.
    /// </summary>
    internal static byte[] Workbook(SimulatedWorld world, DateOnly month, bool drift) =>
        XlsxWriter.Write(Sheet, Rows(world, month, drift));

    internal static IEnumerable<IReadOnlyList<object?>> Rows(SimulatedWorld world, DateOnly month, bool drift)
    {
        var months = new List<DateOnly>();
        for (var m = StartMonth; m <= month; m = m.AddMonths(1))
        {
            months.Add(m);
        }

        // A published workbook never changes: only revisions up to its own reference month reach it.
        var applicable = world.IviRevisions.Where(r => r <= month).ToList();
        var revisions = months.Select(m => applicable.Count(r => m <= r && m > r.AddMonths(-RevisionWindowMonths))).ToArray();
        var groups = UnitGroups(world);
        var rows = new List<IReadOnlyList<object?>>(4 + (groups.Count + 1) * States.Length)
        {
            new object?[] { "Internet Vacancy Index - ANZSCO4 Occupations, States and Territories (three month moving average)" },
            new object?[] { "Source: Jobs and Skills Australia, Internet Vacancy Index, " + month.ToString("MMMM yyyy", CultureInfo.InvariantCulture) },
        };
        var header = new List<object?>(drift ? ["Level", "ANZSCO4_CODE", "ANZSCO_TITLE", "State"] : ["Level", "State", "ANZSCO_CODE", "ANZSCO_TITLE"]);
        header.AddRange(months.Select(m => (object?)XlsxWriter.Serial(m)));
        rows.Add(header);

        // Tenths of an ad: state series drawn, AUST the sum of the states, TOTAL the sum of the groups.
        var totals = new long[States.Length, months.Count];
        var body = new List<(int Level, int State, string Code, string Title, long[] Values)>();
        foreach (var (code, title) in groups)
        {
            var national = new long[months.Count];
            for (var s = 0; s < States.Length - 1; s++)
            {
                var values = new long[months.Count];
                for (var i = 0; i < months.Count; i++)
                {
                    values[i] = Tenths(world.Seed, code, States[s], months[i], revisions[i]);
                    national[i] += values[i];
                }

                body.Add((4, s, code, title, values));
            }

            body.Add((4, States.Length - 1, code, title, national));
        }

        foreach (var (_, s, _, _, values) in body)
        {
            for (var i = 0; i < values.Length; i++)
            {
                totals[s, i] += values[i];
            }
        }

        for (var s = 0; s < States.Length; s++)
        {
            rows.Add(Row(0, States[s], "0", "TOTAL", Enumerable.Range(0, months.Count).Select(i => totals[s, i]), drift));
        }

        foreach (var (level, s, code, title, values) in body)
        {
            rows.Add(Row(level, States[s], code, title, values, drift));
        }

        rows.Add([]);
        rows.Add(["Note: figures are three month moving averages of online job advertisements and are revised each month."]);
        return rows;
    }

    /// <summary>One month's value in tenths: a level per (code, state), a drift by month, and noise that revisions redraw.</summary>
    internal static long Tenths(ulong seed, string code, string state, DateOnly month, int revisions)
    {
        var key = Hash(seed, code + "|" + state);
        var level = 20 + (long)(key % 6000); // 2.0 to 601.9 ads
        var trend = level * (month.DayNumber - StartMonth.DayNumber) / 20_000;
        var noise = (long)(Mix(key ^ ((ulong)month.DayNumber * 0x9E3779B97F4A7C15UL) ^ ((ulong)revisions * 0xD1B54A32D192ED03UL)) % (ulong)(1 + (level / 4)));
        return level + trend + noise;
    }

    private static int Revisions(SimulatedWorld world, DateOnly month) => world.IviRevisions.Count(r => r <= month && r > month.AddMonths(-RevisionWindowMonths));

    private static object?[] Row(int level, string state, string code, string title, IEnumerable<long> tenths, bool drift)
    {
        var identifiers = drift ? new object?[] { level, code, title, state } : [level, state, code, title];
        return [.. identifiers, .. tenths.Select(t => (object?)(t / 10m))];
    }

    private static ulong Hash(ulong seed, string text)
    {
        var h = seed ^ 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            h = (h ^ b) * 0x100000001B3UL;
        }

        return Mix(h);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
