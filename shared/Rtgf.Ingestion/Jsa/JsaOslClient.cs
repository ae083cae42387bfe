using System.Net;
using System.Text.RegularExpressions;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Jsa;

/// <summary>
/// Finds and downloads Jobs and Skills Australia's Occupation Shortage List through the outbound pipeline. The file's
/// folder and name change with every release, so the landing page (default <see cref="DefaultPagePath"/>) is read for
/// the one <c>.xlsx</c> link whose text or file name says "Occupation Shortage List" and "6 digit" (the 4-digit unit
/// group list, the historical list and the chart workbooks on the same page are not it). The link must be on the
/// configured origin (<see cref="UpstreamOrigin"/>).
/// </summary>
public sealed partial class JsaOslClient(HttpClient http)
{
    public const string DefaultPagePath = "data/occupation-shortage";

    private readonly UpstreamOrigin _origin = new(http.BaseAddress ?? throw new ArgumentException("The JSA client needs an HttpClient with a BaseAddress (the site's origin).", nameof(http)));

    /// <summary>The list workbook's URL, from the landing page.</summary>
    public async Task<Uri> FindListAsync(string pagePath = DefaultPagePath, CancellationToken cancellationToken = default)
    {
        var page = _origin.Resolve(_origin.BaseAddress, pagePath, "The JSA occupation shortage page path");
        using var request = new HttpRequestMessage(HttpMethod.Get, page).WithOperation("jsa-osl-page");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var link = FindListLink(html, page.PathAndQuery);
        return _origin.Resolve(page, link, "The Occupation Shortage List link");
    }

    /// <summary>Finds the list on the landing page, downloads it and parses it whole.</summary>
    public async Task<OccupationShortageDownload> GetListAsync(string pagePath = DefaultPagePath, CancellationToken cancellationToken = default)
    {
        var url = await FindListAsync(pagePath, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, url).WithOperation("jsa-osl-xlsx");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var stream = new MemoryStream(bytes, writable: false);
        return new OccupationShortageDownload(url, bytes.LongLength, OccupationShortageListParser.Parse(stream));
    }

    /// <summary>The href of the one current 6-digit list link on the page; none or several is a format error.</summary>
    internal static string FindListLink(string html, string page)
    {
        var candidates = LinkPattern().Matches(html)
            .Select(m => (Href: WebUtility.HtmlDecode(m.Groups["href"].Value), Text: WebUtility.HtmlDecode(TagPattern().Replace(m.Groups["text"].Value, " "))))
            .Where(l => IsList(l.Text) || IsList(Uri.UnescapeDataString(FileName(l.Href))))
            .Select(l => l.Href)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new UpstreamFormatException($"The JSA page {page} has no .xlsx link named like '<year> Occupation Shortage List - 6 digit ANZSCO and OSCA.xlsx'."),
            _ => throw new UpstreamFormatException($"The JSA page {page} links {candidates.Count} Occupation Shortage List workbooks: {string.Join(", ", candidates.Select(c => $"'{c}'"))}."),
        };
    }

    private static bool IsList(string name)
    {
        var text = SpacePattern().Replace(name, " ").Trim();
        return text.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)
            && text.Contains("Occupation Shortage List", StringComparison.OrdinalIgnoreCase)
            && text.Contains("6 digit", StringComparison.OrdinalIgnoreCase)
            && !text.StartsWith("Historical", StringComparison.OrdinalIgnoreCase);
    }

    private static string FileName(string href)
    {
        var path = href.Split('?', '#')[0];
        return path[(path.LastIndexOf('/') + 1)..];
    }

    [GeneratedRegex("""<a\b[^>]*?\bhref\s*=\s*["'](?<href>[^"']*)["'][^>]*>(?<text>.*?)</a>""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex LinkPattern();

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex SpacePattern();
}
