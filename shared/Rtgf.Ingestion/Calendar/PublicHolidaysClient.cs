using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Calendar;

/// <summary>One year's holidays file as read: its resource, URL, year and the download's ETag.</summary>
public sealed record PublicHolidaysResource(string ResourceId, Uri Url, int Year, string? ETag);

/// <summary>Every year's holidays, each (date, state) once, and the files they came from (ordered by year).</summary>
public sealed record PublicHolidaysDownload(IReadOnlyList<CalendarDateRecord> Holidays, IReadOnlyList<PublicHolidaysResource> Resources);

/// <summary>
/// data.gov.au's "Australian Holidays machine readable dataset" through the data.gov.au client (<see cref="CkanClient"/>,
/// upstream <c>datagovau</c>): the dataset's resources from CKAN <c>package_show</c> (never hard-coded resource ids;
/// every resource URL resolved and refused off the configured origin), the per-year files named
/// <c>australian_public_holidays_{yyyy}.csv</c> (by the file name of the resource URL, ignoring case; the combined
/// multi-year file and anything else is not read), the newest resource of a year winning (by <c>last_modified</c>, else
/// <c>created</c>, then resource id), each downloaded and parsed strictly (<see cref="PublicHolidaysCsvParser"/>). A
/// dataset CKAN does not know fails with HTTP 404; one without any year file is a format error.
/// </summary>
public sealed partial class PublicHolidaysClient(CkanClient ckan)
{
    /// <summary>The dataset's CKAN id (its slug is <c>australian-holidays-machine-readable-dataset</c>).</summary>
    public const string DatasetId = "b1bc6077-dadd-4f61-9f8c-002ab2cdff10";

    public const string CsvOperation = "holidays-csv";

    public async Task<PublicHolidaysDownload> GetAsync(string datasetId = DatasetId, CancellationToken cancellationToken = default)
    {
        var dataset = await ckan.PackageShowAsync(datasetId, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException($"CKAN package_show {datasetId}: Not Found (the holidays dataset is withdrawn or the id is wrong).", null, HttpStatusCode.NotFound);
        var resources = dataset.Resources.Select(r => (Resource: r, Url: ckan.ResourceUrl(r))).ToList();
        var years = SelectYears(resources);
        if (years.Count == 0)
        {
            throw new UpstreamFormatException(
                $"CKAN dataset {datasetId} has no resource named australian_public_holidays_{{yyyy}}.csv (resources: {string.Join(", ", resources.Select(r => r.Url.Segments[^1]))}).");
        }

        var holidays = new Dictionary<string, CalendarDateRecord>(StringComparer.Ordinal);
        var read = new List<PublicHolidaysResource>();
        foreach (var (year, resource, url) in years)
        {
            var file = await ckan.DownloadAsync(url, CsvOperation, cancellationToken).ConfigureAwait(false);
            var name = $"{url.Segments[^1]} (resource {resource.Id})";
            using var stream = new MemoryStream(file.Content, writable: false);
            foreach (var holiday in PublicHolidaysCsvParser.Parse(stream, name))
            {
                // A holiday of another year in a year's file (a late correction) is kept once; a conflict is an error.
                if (holidays.TryGetValue(holiday.Key, out var seen) && seen != holiday)
                {
                    throw new UpstreamFormatException($"Holidays resource {name}: {holiday.Key} differs from the same day in another year's file ('{seen.Title}' and '{holiday.Title}').");
                }

                holidays[holiday.Key] = holiday;
            }

            read.Add(new PublicHolidaysResource(resource.Id, url, year, file.ETag));
        }

        return new PublicHolidaysDownload([.. holidays.Values.OrderBy(h => h.Key, StringComparer.Ordinal)], read);
    }

    /// <summary>The year files (resources with their resolved URLs), one resource per year (the newest), ordered by year.</summary>
    internal static IReadOnlyList<(int Year, CkanResource Resource, Uri Url)> SelectYears(IEnumerable<(CkanResource Resource, Uri Url)> resources) =>
        [.. resources
            .Select(r => (Match: YearFile().Match(Uri.UnescapeDataString(r.Url.Segments[^1])), r.Resource, r.Url))
            .Where(m => m.Match.Success)
            .GroupBy(m => int.Parse(m.Match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture))
            .Select(g => g
                .OrderByDescending(m => m.Resource.LastModified ?? m.Resource.Created ?? DateTimeOffset.MinValue)
                .ThenByDescending(m => m.Resource.Id, StringComparer.Ordinal)
                .Select(m => (Year: g.Key, m.Resource, m.Url))
                .First())
            .OrderBy(y => y.Year)];

    [GeneratedRegex(@"^australian_public_holidays_(\d{4})\.csv$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YearFile();
}
