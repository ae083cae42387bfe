using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Jsa;

/// <summary>
/// Jobs and Skills Australia's Occupation Shortage List: the landing page (Drupal; links to the year's files under
/// <c>/sites/default/files/{year}-10/</c>, among them a chart workbook and a historical list that are not the list) and
/// the workbook <c>{year} Occupation Shortage List - 6 digit ANZSCO and OSCA.xlsx</c> with sheets
/// <c>{year} OSL (ANZSCO 2022)</c> and <c>{year} OSL (OSCA 2024)</c>. The simulator's OSCA codes are its ANZSCO codes
/// (the real lists differ: OSCA is a new classification, ~1,022 occupations).
/// </summary>
internal static class OslEndpoints
{
    public const string PagePath = "/data/occupation-shortage";
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The real header texts, as far as known (docs/research/jsa-osl.md).</summary>
    public const string NationalHeader = "NS - No Shortage  S - Shortage  R - Regional Shortage  M - Metro Shortage";
    public const string TitleHeader = "Occupation title";
    public const string SkillLevelHeader = "Skill level ";
    public const string MajorGroupHeader = "Major Occupation Group";

    public static string Folder(int year) => year.ToString(CultureInfo.InvariantCulture) + "-10";

    public static string FileName(int year, bool underscores = false) => Named($"{year} Occupation Shortage List - 6 digit ANZSCO and OSCA.xlsx", underscores);

    public static string ChartsFileName(int year, bool underscores = false) => Named($"{year} Key Findings Report downloadable Charts and Tables.xlsx", underscores);

    public static string FilePath(int year, bool underscores = false) => $"/sites/default/files/{Folder(year)}/{Uri.EscapeDataString(FileName(year, underscores))}";

    /// <summary>A file name as uploaded: as titled, or (the naming JSA's site later used) lower case, commas dropped, spaces as underscores.</summary>
    public static string Named(string title, bool underscores) =>
        underscores ? title.ToLowerInvariant().Replace(",", string.Empty, StringComparison.Ordinal).Replace(' ', '_') : title;

    public static string AnzscoSheet(int year) => $"{year} OSL (ANZSCO 2022)";

    public static string OscaSheet(int year) => $"{year} OSL (OSCA 2024)";

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet(PagePath, async (HttpContext context) =>
        {
            int year;
            bool underscores;
            lock (world.Gate)
            {
                (year, underscores) = (world.OslYear, world.OslUnderscoreNaming);
            }

            await HttpDownload.SendTextAsync(context, Page(year, underscores), "text/html; charset=utf-8").ConfigureAwait(false);
        });

        // Literal routes for the years a run can reach (new-year changes move on from the first): literal segments
        // outrank the vacancy index's parameterised routes in the same Drupal folders, and the slim host has no regex constraint.
        int first;
        lock (world.Gate)
        {
            first = world.OslYear;
        }

        for (var y = first; y <= first + MaxNewYears; y++)
        {
            var year = y;
            foreach (var underscores in new[] { false, true })
            {
                app.MapGet($"/sites/default/files/{Folder(year)}/{FileName(year, underscores)}", (HttpContext context) => SendAsync(context, world, year, underscores, charts: false));
                app.MapGet($"/sites/default/files/{Folder(year)}/{ChartsFileName(year, underscores)}", (HttpContext context) => SendAsync(context, world, year, underscores, charts: true));
            }
        }
    }

    /// <summary>How many new-year changes the simulator serves files for.</summary>
    public const int MaxNewYears = 20;

    /// <summary>A year's list (or its chart workbook) while that year and naming are current; any other file is gone (404).</summary>
    private static async Task SendAsync(HttpContext context, SimulatedWorld world, int year, bool underscores, bool charts)
    {
        byte[]? xlsx = null;
        lock (world.Gate)
        {
            if (world.OslYear == year && world.OslUnderscoreNaming == underscores)
            {
                var layout = context.Features.Get<SchemaDriftFeature>() is not null ? OslLayout.Drifted : world.OslReshaped ? OslLayout.Reshaped : OslLayout.Standard;
                xlsx = charts ? ChartsWorkbook(year) : Workbook(year, world.Occupations, layout);
            }
        }

        if (xlsx is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await HttpDownload.SendAsync(context, xlsx, ContentType, new DateTimeOffset(year, 10, 1, 0, 0, 0, TimeSpan.Zero)).ConfigureAwait(false);
    }

    /// <summary>The landing page as JSA's Drupal renders it: reports first (the chart workbook among them), then the downloads.</summary>
    internal static string Page(int year, bool underscores = false)
    {
        string Link(string title, string size) => Anchor(Named(title, underscores), size);
        string Anchor(string name, string size) =>
            $"""<li><a href="/sites/default/files/{Folder(year)}/{Uri.EscapeDataString(name)}" type="application/octet-stream">{WebUtility.HtmlEncode(name)}</a> <span class="file-size">{size}</span> <a class="download" href="/sites/default/files/{Folder(year)}/{Uri.EscapeDataString(name)}">Download</a></li>""";
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Occupation Shortage | Jobs and Skills Australia</title></head>
            <body><main><h1>Occupation Shortage</h1>
            <p>Jobs and Skills Australia leads work on occupation shortage analysis including the annual Occupation Shortage List and reports on occupation shortages.</p>
            <h2>Reports</h2>
            <ul>
            {Link($"{year} OSL Key Findings Report.pdf", "490544")}
            {Link(ChartsFileName(year), "206745")}
            </ul>
            <h2>Downloads</h2>
            <ul>
            {Link(FileName(year), "190031")}
            {Link($"{year} Unit Group Shortage List - 4 digit ANZSCO.xlsx", "89565")}
            {Link($"Historical Occupation Shortage List, 6-digit ANZSCO, 2021-{year - 1}.xlsx", "739738")}
            </ul>
            <p>The OSL data is available as Excel spreadsheets.</p>
            </main></body></html>
            """;
    }

    /// <summary>
    /// The list workbook, both sheets. Standard: banner rows, the header on row 8 (code, title, national, NSW…ACT,
    /// skill level, major group), data from row 9, codes as integers, footnotes after a blank row. Reshaped: columns
    /// moved and a two-row header (row 7 merged over row 8, a "Shortage rating" band over the ratings), same data.
    /// Drifted: reshaped without the national rating column.
    /// </summary>
    internal static byte[] Workbook(int year, IReadOnlyList<Occupation> occupations, OslLayout layout) =>
        XlsxWriter.Write(
        [
            Sheet(AnzscoSheet(year), "Occupation code (ANZSCO 2022)", year, occupations, layout),
            Sheet(OscaSheet(year), "Occupation code (OSCA 2024)", year, occupations, layout),
        ]);

    private static XlsxSheet Sheet(string name, string codeHeader, int year, IReadOnlyList<Occupation> occupations, OslLayout layout)
    {
        var rows = new List<IReadOnlyList<object?>>
        {
            new object?[] { "Jobs and Skills Australia" },
            new object?[] { $"{year} Occupation Shortage List" },
            new object?[] { "Occupation shortage ratings, nationally and by state and territory" },
            Array.Empty<object?>(),
            new object?[] { "Ratings: S - Shortage, R - Regional Shortage, M - Metro Shortage, NS - No Shortage" },
            Array.Empty<object?>(),
        };
        var states = GeneratorStates;
        if (layout == OslLayout.Standard)
        {
            rows.Add([]);
            rows.Add([codeHeader, TitleHeader, NationalHeader, .. states, SkillLevelHeader, MajorGroupHeader]);
            foreach (var o in occupations)
            {
                rows.Add([Code(o.Code), o.Title, o.National, .. states.Select(s => o.States[s]), o.SkillLevel, Major(o.Code)]);
            }

            rows.Add([]);
            rows.Add(["Notes: ratings are assessed at the 6-digit level; see the methodology paper."]);
            rows.Add([$"Source: Jobs and Skills Australia, {year} Occupation Shortage List."]);
            return new XlsxSheet(name, rows);
        }

        var national = layout == OslLayout.Reshaped;
        var split = codeHeader.IndexOf(" (", StringComparison.Ordinal);
        var ratingColumns = states.Length + (national ? 1 : 0);
        var last = XlsxWriter.Column(2 + ratingColumns - 1);
        var after = 2 + ratingColumns;
        rows.Add([TitleHeader, codeHeader[..split], "Shortage rating", .. Enumerable.Repeat<object?>(null, ratingColumns - 1), MajorGroupHeader, "Skill level"]);
        rows.Add([null, codeHeader[(split + 1)..], .. states, .. national ? new object?[] { "National" } : [], null, null]);
        foreach (var o in occupations)
        {
            rows.Add([o.Title, Code(o.Code), .. states.Select(s => o.States[s]), .. national ? new object?[] { o.National } : [], Major(o.Code), o.SkillLevel]);
        }

        rows.Add(["Notes:"]);
        rows.Add(["1. Ratings are assessed at the 6-digit level."]);
        rows.Add(["2. Occupations at skill level 5 are not assessed."]);
        rows.Add([$"Source: Jobs and Skills Australia, {year} Occupation Shortage List."]);
        string[] merges =
        [
            "A7:A8", $"C7:{last}7",
            $"{XlsxWriter.Column(after)}7:{XlsxWriter.Column(after)}8", $"{XlsxWriter.Column(after + 1)}7:{XlsxWriter.Column(after + 1)}8",
        ];
        return new XlsxSheet(name, rows, merges);
    }

    /// <summary>The decoy: a chart-data workbook linked from the same page (it names the list but is not it).</summary>
    internal static byte[] ChartsWorkbook(int year) => XlsxWriter.Write(
    [
        new XlsxSheet("Chart 1", new List<IReadOnlyList<object?>>
        {
            new object?[] { $"Chart 1: Share of occupations in shortage, {year} Occupation Shortage List" },
            new object?[] { "Major group", "Share in shortage (%)" },
            new object?[] { "Professionals", 38.5 },
            new object?[] { "Technicians and Trades Workers", 44.1 },
        }),
    ]);

    private static string[] GeneratorStates => WorldGenerator.StateColumns;

    private static int Code(string code) => int.Parse(code, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int Major(string code) => code[0] - '0';
}

/// <summary>How the simulator lays out the list workbook.</summary>
internal enum OslLayout
{
    Standard,
    Reshaped,
    Drifted,
}
