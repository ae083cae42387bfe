using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Teqsa;

/// <summary>
/// Reads TEQSA National Register HTML. The register has no documented markup, so fields are found by their visible
/// labels, in either a definition list (<c>dt</c>/<c>dd</c>) or a two-cell table row (<c>th</c>/<c>td</c>):
/// Provider ID, ABN, Provider category, Self-accrediting authority, Registration status, Registration expiry (or renewal
/// date), Website. The name is the page's <c>h1</c>; courses are the rows of a table whose header has Course and Status.
/// </summary>
public static partial class TeqsaRegisterParser
{
    private static readonly string[] DateFormats = ["d MMMM yyyy", "d MMM yyyy", "dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"];

    /// <summary>The provider page paths linked from a register listing page, sorted.</summary>
    public static IReadOnlyList<string> ParseProviderLinks(string html)
    {
        RequireComplete(html, "the register page");
        using var document = new HtmlParser().ParseDocument(html);
        return [.. document.QuerySelectorAll("a[href*='/national-register/provider/']")
            .Select(a => a.GetAttribute("href")!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The register page's <c>a[rel=next]</c> link (relative to the page), or null on the last page.</summary>
    public static string? ParseNextPageLink(string html)
    {
        using var document = new HtmlParser().ParseDocument(html);
        return document.QuerySelector("a[rel~='next']")?.GetAttribute("href") is { Length: > 0 } href ? href : null;
    }

    public static TeqsaProviderRecord ParseProvider(string html, string source)
    {
        RequireComplete(html, $"page {source}");
        using var document = new HtmlParser().ParseDocument(html);
        var fields = Fields(document);
        var name = document.QuerySelector("h1")?.TextContent is { } heading ? Clean(heading) : null;
        if (string.IsNullOrEmpty(name))
        {
            throw new UpstreamFormatException($"TEQSA page {source}: no provider name (expected an <h1>).");
        }

        var id = Field(fields, "provider id") ?? throw new UpstreamFormatException($"TEQSA page {source}: no 'Provider ID' field (labels found: {string.Join(", ", fields.Keys)}).");
        if (!ProviderIdPattern().IsMatch(id))
        {
            throw new UpstreamFormatException($"TEQSA page {source}: Provider ID '{id}' is not of the form PRVnnnnn.");
        }

        return new TeqsaProviderRecord(
            id,
            name,
            Field(fields, "abn")?.Replace(" ", string.Empty, StringComparison.Ordinal),
            Field(fields, "provider category"),
            Field(fields, "self-accrediting authority"),
            Field(fields, "registration status"),
            Date(Field(fields, "registration expiry", "registration expiry date", "registration end date", "renewal date"), "Registration expiry", source),
            Field(fields, "website", "web address"),
            Courses(document, source));
    }

    /// <summary>
    /// HTML parsers repair anything, so a page cut short would silently lose rows: a whole page ends with <c>&lt;/html&gt;</c>
    /// and has no stray markup after it.
    /// </summary>
    private static void RequireComplete(string html, string what)
    {
        var end = html.AsSpan().TrimEnd();
        if (!end.EndsWith("</html>", StringComparison.OrdinalIgnoreCase))
        {
            throw new UpstreamFormatException($"TEQSA {what} is incomplete: it does not end with </html> (truncated or malformed).");
        }
    }

    private static Dictionary<string, string> Fields(IDocument document)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var term in document.QuerySelectorAll("dt"))
        {
            if (term.NextElementSibling is { LocalName: "dd" } value)
            {
                fields.TryAdd(Label(term.TextContent), Clean(value.TextContent));
            }
        }

        foreach (var row in document.QuerySelectorAll("tr"))
        {
            if (row.Children is [{ LocalName: "th" } head, { LocalName: "td" } cell])
            {
                fields.TryAdd(Label(head.TextContent), Clean(cell.TextContent));
            }
        }

        return fields;
    }

    private static List<TeqsaCourseRecord> Courses(IDocument document, string source)
    {
        var courses = new List<TeqsaCourseRecord>();
        foreach (var table in document.QuerySelectorAll("table"))
        {
            var headers = table.QuerySelectorAll("thead th").Select(h => Label(h.TextContent)).ToList();
            var title = headers.FindIndex(h => h.StartsWith("course", StringComparison.Ordinal));
            var status = headers.FindIndex(h => h.Contains("status", StringComparison.Ordinal));
            if (title < 0 || status < 0)
            {
                continue;
            }

            var renewal = headers.FindIndex(h => h.Contains("renewal", StringComparison.Ordinal) || h.Contains("expiry", StringComparison.Ordinal));
            foreach (var row in table.QuerySelectorAll("tbody tr"))
            {
                var cells = row.QuerySelectorAll("td").Select(c => Clean(c.TextContent)).ToList();
                if (cells.Count <= Math.Max(title, status))
                {
                    throw new UpstreamFormatException($"TEQSA page {source}: a course row has {cells.Count} cells, expected {headers.Count}.");
                }

                courses.Add(new TeqsaCourseRecord(cells[title], Empty(cells[status]), renewal >= 0 && renewal < cells.Count ? Date(Empty(cells[renewal]), "course renewal date", source) : null));
            }
        }

        return [.. courses.OrderBy(c => c.Title, StringComparer.Ordinal).ThenBy(c => c.Status, StringComparer.Ordinal)];
    }

    private static string? Field(Dictionary<string, string> fields, params string[] labels)
    {
        foreach (var label in labels)
        {
            if (fields.TryGetValue(label, out var value))
            {
                return Empty(value);
            }
        }

        return null;
    }

    private static DateOnly? Date(string? text, string what, string source) =>
        text is null ? null
        : DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new UpstreamFormatException($"TEQSA page {source}: {what} '{text}' is not a date.");

    private static string Label(string text) => Clean(text).TrimEnd(':').Trim().ToLowerInvariant();

    private static string Clean(string text) => WhitespacePattern().Replace(text, " ").Trim();

    private static string? Empty(string value) => value.Length == 0 || value == "-" ? null : value;

    [GeneratedRegex(@"^PRV\d{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProviderIdPattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();
}
