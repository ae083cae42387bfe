using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.AusTender;

/// <summary>
/// AusTender's approach-to-market RSS (RSS 2.0). Each <c>item</c> has <c>title</c>, <c>link</c> (the ATM detail page),
/// <c>pubDate</c> (RFC 1123), <c>category</c> elements (UNSPSC ids) and a <c>description</c> whose first lines are
/// <c>ATM ID: …</c>, <c>Agency: …</c> and <c>Close Date: …</c> (ISO 8601) followed by the free text. The field layout is
/// the simulator's reading of the feed (docs/research/austender-ocds.md marks what is unverified). Strict: an item
/// without an ATM id, a publish date or a close date, a category that is not an 8-digit UNSPSC code or a link that is
/// not a URL is an <see cref="UpstreamFormatException"/> naming the item.
/// </summary>
public static class AtmRssParser
{
    public static IReadOnlyList<TenderRecord> Parse(Stream stream, Uri feedUrl)
    {
        ArgumentNullException.ThrowIfNull(feedUrl);
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new UpstreamFormatException($"AusTender ATM RSS: the feed is not XML ({e.Message}).", e);
        }

        var channel = document.Root?.Element("channel");
        if (document.Root?.Name.LocalName != "rss" || channel is null)
        {
            throw new UpstreamFormatException("AusTender ATM RSS: the feed has no rss/channel element.");
        }

        var tenders = new List<TenderRecord>();
        var index = 0;
        foreach (var item in channel.Elements("item"))
        {
            index++;
            var title = item.Element("title")?.Value.Trim();
            var name = $"item {index} ('{title ?? item.Element("link")?.Value ?? "untitled"}')";
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var text = new List<string>();
            foreach (var raw in (item.Element("description")?.Value ?? string.Empty).Split('\n'))
            {
                var line = raw.Trim();
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (text.Count == 0 && colon > 0 && line[..colon] is "ATM ID" or "Agency" or "Close Date")
                {
                    fields[line[..colon]] = line[(colon + 1)..].Trim();
                }
                else if (line.Length > 0)
                {
                    text.Add(line);
                }
            }

            var atmId = fields.GetValueOrDefault("ATM ID") is { Length: > 0 } id ? id : throw new UpstreamFormatException($"AusTender ATM RSS: {name} has no ATM ID.");
            var published = Date(item.Element("pubDate")?.Value, name, "pubDate", DateTimeStyles.AdjustToUniversal);
            var closes = Date(fields.GetValueOrDefault("Close Date"), name, "Close Date", DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            var link = item.Element("link")?.Value.Trim();
            Uri? url = null;
            if (!string.IsNullOrEmpty(link) && !Uri.TryCreate(feedUrl, link, out url))
            {
                throw new UpstreamFormatException($"AusTender ATM RSS: {name} link '{link}' is not a URL.");
            }

            var categories = item.Elements("category").Select(c => c.Value.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (categories.FirstOrDefault(c => !IsUnspsc(c)) is { } bad)
            {
                throw new UpstreamFormatException($"AusTender ATM RSS: {name} (ATM {atmId}) category '{bad}' is not an 8-digit UNSPSC code.");
            }

            tenders.Add(new TenderRecord(
                atmId,
                string.IsNullOrEmpty(title) ? throw new UpstreamFormatException($"AusTender ATM RSS: {name} has no title.") : title,
                fields.GetValueOrDefault("Agency"),
                categories,
                published,
                closes,
                url?.AbsoluteUri,
                text.Count == 0 ? null : string.Join("\n", text)));
        }

        return tenders;
    }

    /// <summary>A UNSPSC commodity code as the feed carries it: exactly 8 ASCII digits.</summary>
    public static bool IsUnspsc(string code) => code.Length == 8 && code.All(char.IsAsciiDigit);

    private static DateTimeOffset Date(string? text, string item, string field, DateTimeStyles styles)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UpstreamFormatException($"AusTender ATM RSS: {item} has no {field}.");
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, styles, out var value)
            ? value.ToUniversalTime()
            : throw new UpstreamFormatException($"AusTender ATM RSS: {item} {field} '{text.Trim()}' is not a date.");
    }
}
