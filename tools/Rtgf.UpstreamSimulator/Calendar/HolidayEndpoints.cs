using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.DataGovAu;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Calendar;

/// <summary>
/// data.gov.au's holidays files (<see cref="HolidayDataset"/>): each year's CSV at the URL the catalogue's
/// <c>package_show</c> lists (<c>/data/dataset/{id}/resource/{resourceId}/download/australian_public_holidays_{yyyy}.csv</c>,
/// <see cref="DataGovAuEndpoints"/>), <c>Last-Modified</c> the resource's <c>last_modified</c> (else
/// <c>created</c>); any other resource of the dataset (the combined file) is 404. The <c>schemaDrift</c> fault writes
/// the file's first date as <c>yyyy-MM-dd</c> (a bad date for the parser).
/// </summary>
internal static class HolidayEndpoints
{
    public static readonly string[] Columns = ["Date", "Holiday Name", "Information", "More Information", "Jurisdiction"];

    public static readonly string[] OldColumns = ["Date", "Raw Date", "Holiday Name", "Information", "More Information", "Applicable To"];

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet($"/data/dataset/{DataGovAuCatalogue.HolidaysId}/resource/{{resourceId}}/download/{{file}}", async (HttpContext context, string resourceId, string file) =>
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

            await HttpDownload.SendAsync(context, csv, "text/csv", year!.Modified).ConfigureAwait(false);
        });
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
}
