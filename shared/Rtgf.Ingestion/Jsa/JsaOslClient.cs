using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Jsa;

/// <summary>
/// Finds and downloads Jobs and Skills Australia's Occupation Shortage List through the outbound pipeline. The file's
/// folder and name change with every release, so the landing page (default <see cref="DefaultPagePath"/>) is read for
/// the one <c>.xlsx</c> link whose text or file name says "Occupation Shortage List" and "6 digit", compared after folding
/// case, <c>_</c>, <c>-</c>, <c>,</c> and whitespace (JSA has named uploads both ways; the 4-digit unit group list, the
/// historical list and the chart workbooks on the same page are not it). The link must be on the
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
        var link = FindListLink(html, page);
        return _origin.Resolve(page, link.AbsoluteUri, "The Occupation Shortage List link");
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

    /// <summary>
    /// The one current 6-digit list link on the page, resolved against <paramref name="page"/>; none or several (after
    /// resolving: a relative and an absolute link to the same file are one workbook) is a format error.
    /// </summary>
    internal static Uri FindListLink(string html, Uri page)
    {
        ArgumentNullException.ThrowIfNull(page);
        using var document = new HtmlParser().ParseDocument(html);
        var candidates = document.QuerySelectorAll("a[href]")
            .Select(a => (Href: a.GetAttribute("href")!.Trim(), Text: a.TextContent))
            .Where(l => IsList(l.Text) || IsList(Uri.UnescapeDataString(FileName(l.Href))))
            .Select(l => Uri.TryCreate(page, l.Href, out var url) ? url : throw new UpstreamFormatException($"The JSA page {page.PathAndQuery} links the list as '{l.Href}', which is not a URL."))
            .Distinct()
            .ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new UpstreamFormatException($"The JSA page {page.PathAndQuery} has no .xlsx link named like '<year> Occupation Shortage List - 6 digit ANZSCO and OSCA.xlsx'."),
            _ => throw new UpstreamFormatException($"The JSA page {page.PathAndQuery} links {candidates.Count} Occupation Shortage List workbooks: {string.Join(", ", candidates.Select(c => $"'{c.AbsolutePath}'"))}."),
        };
    }

    /// <summary>Whether a link text or file name reads as the current list, in either naming JSA has used (title case with spaces, lower case with underscores).</summary>
    private static bool IsList(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        if (!lower.EndsWith(".xlsx", StringComparison.Ordinal))
        {
            return false;
        }

        var text = " " + Words().Replace(lower[..^".xlsx".Length], " ").Trim() + " ";
        return text.Contains(" occupation shortage list ", StringComparison.Ordinal)
            && text.Contains(" 6 digit ", StringComparison.Ordinal)
            && !text.Contains(" historical ", StringComparison.Ordinal);
    }

    private static string FileName(string href)
    {
        var path = href.Split('?', '#')[0];
        return path[(path.LastIndexOf('/') + 1)..];
    }

    [GeneratedRegex(@"[\s_,\-–]+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
