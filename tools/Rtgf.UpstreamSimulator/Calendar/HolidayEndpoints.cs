using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Calendar;

/// <summary>
/// data.gov.au for the holidays dataset (<see cref="HolidayDataset"/>): CKAN <c>package_show</c> for its id or slug, and
/// each year's CSV at <c>/data/dataset/{id}/resource/{resourceId}/download/australian_public_holidays_{yyyy}.csv</c>. The
/// <c>schemaDrift</c> fault on a CSV writes its first date as <c>yyyy-MM-dd</c> (a bad date for the parser).
/// <c>package_show</c> is answered by a middleware ahead of the CRICOS route (which owns that path for the CRICOS id)
/// until the data.gov.au catalogue of the Magda monitor serves every dataset from one place.
/// </summary>
internal static class HolidayEndpoints
{
    public const string PackageShowPath = "/data/api/3/action/package_show";

    public static readonly string[] Columns = ["Date", "Holiday Name", "Information", "More Information", "Jurisdiction"];

    public static readonly string[] OldColumns = ["Date", "Raw Date", "Holiday Name", "Information", "More Information", "Applicable To"];

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.Use(async (context, next) =>
        {
            var id = context.Request.Query["id"].ToString();
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Equals(PackageShowPath, StringComparison.Ordinal)
                && id is HolidayDataset.DatasetId or HolidayDataset.Slug)
            {
                await HttpDownload.SendTextAsync(context, PackageShow(world, $"{context.Request.Scheme}://{context.Request.Host}").ToJsonString(), "application/json").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        app.MapGet($"/data/dataset/{HolidayDataset.DatasetId}/resource/{{resourceId}}/download/{{file}}", async (HttpContext context, string resourceId, string file) =>
        {
            HolidayYear? year;
            byte[]? csv = null;
            lock (world.Gate)
            {
                year = world.Holidays.Find(resourceId);
                if (year is not null && file == HolidayDataset.FileName(year.Year))
                {
                    csv = Csv(world.Holidays, year.Year, badDate: context.Features.Get<SchemaDriftFeature>() is not null);
                }
            }

            if (csv is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await HttpDownload.SendAsync(context, csv, "text/csv", year!.Created).ConfigureAwait(false);
        });
    }

    /// <summary>The CKAN <c>package_show</c> answer: a resource per year (and the combined file, which clients skip).</summary>
    internal static JsonObject PackageShow(SimulatedWorld world, string baseUrl)
    {
        var resources = new JsonArray();
        lock (world.Gate)
        {
            foreach (var year in world.Holidays.Years.OrderByDescending(y => y.Year))
            {
                var created = Format(year.Created);
                resources.Add(new JsonObject
                {
                    ["id"] = year.ResourceId,
                    ["name"] = $"Australian Public Holidays {year.Year.ToString(CultureInfo.InvariantCulture)}",
                    ["format"] = "CSV",
                    ["url"] = baseUrl + HolidayDataset.DownloadPath(year),
                    ["created"] = created,
                    ["last_modified"] = created,
                    ["hash"] = string.Empty,
                    ["size"] = null,
                });
            }

            resources.Add(new JsonObject
            {
                ["id"] = HolidayDataset.CombinedResourceId,
                ["name"] = "Australian public holidays combined (2021-2025)",
                ["format"] = "CSV",
                ["url"] = $"{baseUrl}/data/dataset/{HolidayDataset.DatasetId}/resource/{HolidayDataset.CombinedResourceId}/download/australian-public-holidays-combined-2021-2025.csv",
                ["created"] = "2024-11-01T00:00:00.000000",
                ["last_modified"] = null,
                ["hash"] = string.Empty,
                ["size"] = null,
            });
        }

        return new JsonObject
        {
            ["success"] = true,
            ["result"] = new JsonObject
            {
                ["id"] = HolidayDataset.DatasetId,
                ["name"] = HolidayDataset.Slug,
                ["title"] = "Australian Public Holidays Dates Machine Readable Dataset",
                ["organization"] = new JsonObject { ["name"] = "dpmc", ["title"] = "Department of the Prime Minister and Cabinet" },
                ["license_id"] = "cc-by",
                ["metadata_modified"] = Format(world.Holidays.Years.Max(y => y.Created)),
                ["resources"] = resources,
            },
        };
    }

    /// <summary>A year's file: the old layout for <see cref="HolidayDataset.OldLayoutYear"/>, else the current one.</summary>
    internal static byte[] Csv(HolidayDataset dataset, int year, bool badDate = false)
    {
        var rows = dataset.Rows(year);
        string DateText(DateOnly date, int index) => badDate && index == 0
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (year == HolidayDataset.OldLayoutYear)
        {
            // A holiday every state has on the same day is one national row.
            var lines = rows.GroupBy(r => (r.Date, r.Name))
                .SelectMany(g => g.Count() == HolidayDataset.States.Length
                    ? [g.First() with { Jurisdiction = "NAT" }]
                    : g.Select(r => r with { Jurisdiction = r.Jurisdiction.ToUpperInvariant() }))
                .Select((r, i) => (IReadOnlyList<string>)[DateText(r.Date, i), r.Date.ToString("d/MM/yyyy", CultureInfo.InvariantCulture) + " 0:00", r.Name, r.Information, r.MoreInformation, r.Jurisdiction]);
            return CsvWriter.Write(OldColumns, lines);
        }

        var upper = year == dataset.UpperCaseYear;
        return CsvWriter.Write(Columns, rows.Select((r, i) => (IReadOnlyList<string>)[DateText(r.Date, i), r.Name, r.Information, r.MoreInformation, upper ? r.Jurisdiction.ToUpperInvariant() : r.Jurisdiction]));
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
