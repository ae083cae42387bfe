using System.Globalization;
using System.Text.RegularExpressions;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Calendar;

/// <summary>One year's holidays file as read: its resource, URL, year and the download's ETag.</summary>
public sealed record PublicHolidaysResource(string ResourceId, Uri Url, int Year, string? ETag);

/// <summary>Every year's holidays, each (date, state) once, and the files they came from (ordered by year).</summary>
public sealed record PublicHolidaysDownload(IReadOnlyList<CalendarDateRecord> Holidays, IReadOnlyList<PublicHolidaysResource> Resources);

/// <summary>
/// data.gov.au's "Australian Holidays machine readable dataset" through the outbound pipeline: the dataset's resources
/// from CKAN <c>package_show</c> (never hard-coded resource ids), the per-year files named
/// <c>australian_public_holidays_{yyyy}.csv</c> (by the file name of the resource URL, ignoring case; the combined
/// multi-year file and anything else is not read), the newest resource of a year winning (by <c>last_modified</c>, else
/// <c>created</c>, then resource id), each downloaded (on the configured origin only) and parsed strictly
/// (<see cref="PublicHolidaysCsvParser"/>). A dataset without any year file is a format error.
/// </summary>
public sealed partial class PublicHolidaysClient(HttpClient http)
{
    /// <summary>The dataset's CKAN id (its slug is <c>australian-holidays-machine-readable-dataset</c>).</summary>
    public const string DatasetId = "b1bc6077-dadd-4f61-9f8c-002ab2cdff10";

    public const string CsvOperation = "holidays-csv";

    private readonly UpstreamOrigin _origin = new(http.BaseAddress ?? throw new ArgumentException("The holidays client needs an HttpClient with a BaseAddress (data.gov.au's origin).", nameof(http)));

    public async Task<PublicHolidaysDownload> GetAsync(string datasetId = DatasetId, CancellationToken cancellationToken = default)
    {
        var resources = await CalendarPackageShow.ReadAsync(http, _origin, datasetId, cancellationToken).ConfigureAwait(false);
        var years = SelectYears(resources);
        if (years.Count == 0)
        {
            throw new UpstreamFormatException(
                $"CKAN dataset {datasetId} has no resource named australian_public_holidays_{{yyyy}}.csv (resources: {string.Join(", ", resources.Select(r => r.Url.Segments[^1]))}).");
        }

        var holidays = new Dictionary<string, CalendarDateRecord>(StringComparer.Ordinal);
        var read = new List<PublicHolidaysResource>();
        foreach (var (year, resource) in years)
        {
            var (bytes, etag) = await DownloadAsync(resource.Url, cancellationToken).ConfigureAwait(false);
            var name = $"{resource.Url.Segments[^1]} (resource {resource.Id})";
            using var stream = new MemoryStream(bytes, writable: false);
            foreach (var holiday in PublicHolidaysCsvParser.Parse(stream, name))
            {
                // A holiday of another year in a year's file (a late correction) is kept once; a conflict is an error.
                if (holidays.TryGetValue(holiday.Key, out var seen) && seen != holiday)
                {
                    throw new UpstreamFormatException($"Holidays resource {name}: {holiday.Key} differs from the same day in another year's file ('{seen.Title}' and '{holiday.Title}').");
                }

                holidays[holiday.Key] = holiday;
            }

            read.Add(new PublicHolidaysResource(resource.Id, resource.Url, year, etag));
        }

        return new PublicHolidaysDownload([.. holidays.Values.OrderBy(h => h.Key, StringComparer.Ordinal)], read);
    }

    private async Task<(byte[] Bytes, string? ETag)> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url).WithOperation(CsvOperation, retrySafe: true);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), response.Headers.ETag?.Tag);
    }

    /// <summary>The year files, one resource per year (the newest), ordered by year.</summary>
    internal static IReadOnlyList<(int Year, CalendarPackageResource Resource)> SelectYears(IEnumerable<CalendarPackageResource> resources) =>
        [.. resources
            .Select(r => (Match: YearFile().Match(Uri.UnescapeDataString(r.Url.Segments[^1])), Resource: r))
            .Where(m => m.Match.Success)
            .GroupBy(m => int.Parse(m.Match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture))
            .Select(g => (Year: g.Key, Resource: g
                .OrderByDescending(m => m.Resource.LastModified ?? m.Resource.Created ?? DateTimeOffset.MinValue)
                .ThenByDescending(m => m.Resource.Id, StringComparer.Ordinal)
                .First().Resource))
            .OrderBy(y => y.Year)];

    [GeneratedRegex(@"^australian_public_holidays_(\d{4})\.csv$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YearFile();
}
