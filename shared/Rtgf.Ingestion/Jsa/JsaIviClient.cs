using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Jsa;

/// <summary>
/// Reads JSA's Internet Vacancy Index through the outbound pipeline: the landing page (default
/// <see cref="DefaultPagePath"/>), the "ANZSCO4 Occupations, States and Territories" workbook it links (the latest, when it
/// links several), parsed whole by <see cref="InternetVacancyIndexParser"/>. A page without such a link falls back to the
/// predictable URLs JSA has used (publication-month folder, reference month one earlier; titled or lower case with
/// underscores): this month's folder, then last month's. Links are followed only on the configured origin (<see cref="UpstreamOrigin"/>).
/// </summary>
public sealed partial class JsaIviClient(HttpClient http)
{
    public const string DefaultPagePath = "data/internet-vacancy-index";

    private const string Anzsco4Words = "internet vacancies anzsco4 occupations states and territories";

    private readonly UpstreamOrigin _origin = new(http.BaseAddress ?? throw new ArgumentException("The JSA client needs an HttpClient with a BaseAddress (the site's origin).", nameof(http)));

    /// <summary>
    /// The workbook's URLs as JSA has named it for a reference month (folder = the publication month, one later): titled
    /// (<c>Internet%20Vacancies%2C%20…%20-%20June%202025.xlsx</c>), then lower case with underscores
    /// (<c>internet_vacancies_…_-_june_2025.xlsx</c>).
    /// </summary>
    public static IReadOnlyList<string> Anzsco4Paths(DateOnly referenceMonth)
    {
        var folder = "sites/default/files/" + referenceMonth.AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture) + "/";
        var title = "Internet Vacancies, ANZSCO4 Occupations, States and Territories - " + referenceMonth.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        var underscored = title.ToLowerInvariant().Replace(",", string.Empty, StringComparison.Ordinal).Replace(' ', '_');
        return [folder + Uri.EscapeDataString(title + ".xlsx"), folder + underscored + ".xlsx"];
    }

    /// <param name="today">Our date (UTC, from the caller's clock), for the fallback URLs only.</param>
    /// <param name="pagePath">The landing page, relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<IviWorkbook> GetAnzsco4Async(DateOnly today, string pagePath = DefaultPagePath, CancellationToken cancellationToken = default)
    {
        var page = _origin.Resolve(_origin.BaseAddress, pagePath, "The IVI page path");
        string html;
        using (var request = new HttpRequestMessage(HttpMethod.Get, page).WithOperation("ivi-page"))
        using (var response = await http.SendAsync(request, cancellationToken))
        {
            response.EnsureSuccessStatusCode();
            html = await response.Content.ReadAsStringAsync(cancellationToken);
        }

        var linked = Anzsco4Links(html)
            .Select(link => _origin.Resolve(page, link, $"The ANZSCO4 workbook link on the IVI page {page.PathAndQuery}"))
            .OrderByDescending(u => u.AbsolutePath, StringComparer.Ordinal) // folders are yyyy-MM: descending, the latest comes first
            .FirstOrDefault();
        if (linked is not null)
        {
            return (await DownloadAsync(linked, notFoundIsMissing: false, cancellationToken))!;
        }

        // No link: the page changed. Try where JSA has put the file, in both namings: this month's folder, then last month's.
        var month = new DateOnly(today.Year, today.Month, 1);
        var candidates = new[] { month.AddMonths(-1), month.AddMonths(-2) }.SelectMany(Anzsco4Paths).Select(path => new Uri(_origin.BaseAddress, path)).ToList();
        foreach (var candidate in candidates)
        {
            if (await DownloadAsync(candidate, notFoundIsMissing: true, cancellationToken) is { } workbook)
            {
                return workbook;
            }
        }

        throw new UpstreamFormatException(
            $"The IVI page {page.PathAndQuery} links no ANZSCO4 workbook, and neither {string.Join(" nor ", candidates.Select(c => c.AbsolutePath))} exists.");
    }

    /// <summary>The page's links whose file name reads "Internet Vacancies, ANZSCO4 Occupations, States and Territories … .xlsx", however encoded.</summary>
    internal static IReadOnlyList<string> Anzsco4Links(string html)
    {
        using var document = new HtmlParser().ParseDocument(html);
        return [.. document.QuerySelectorAll("a[href]")
            .Select(a => a.GetAttribute("href")!.Trim())
            .Where(href =>
            {
                var path = href.Split('?', '#')[0];
                var name = WebUtility.UrlDecode(path[(path.LastIndexOf('/') + 1)..].Replace("+", "%2B", StringComparison.Ordinal));
                return name.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)
                    && Words().Replace(name.ToLowerInvariant(), " ").Trim().StartsWith(Anzsco4Words, StringComparison.Ordinal);
            })
            .Distinct(StringComparer.Ordinal)];
    }

    private async Task<IviWorkbook?> DownloadAsync(Uri url, bool notFoundIsMissing, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url).WithOperation("ivi-anzsco4");
        using var response = await http.SendAsync(request, cancellationToken);
        if (notFoundIsMissing && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new IviWorkbook(url, response.Headers.ETag?.Tag, InternetVacancyIndexParser.Parse(stream));
    }

    [GeneratedRegex(@"[\s_,\-–]+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}

/// <summary>A parsed IVI workbook: where it came from (URL, ETag) and its series.</summary>
public sealed record IviWorkbook(Uri Url, string? ETag, IReadOnlyList<VacancySeriesRecord> Series);
