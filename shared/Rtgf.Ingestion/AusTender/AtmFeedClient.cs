using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.AusTender;

/// <summary>
/// AusTender's current approaches to market: the public RSS feed (not part of the OCDS API), on its own upstream
/// (<c>www.tenders.gov.au</c>, not the OCDS API host), through the outbound pipeline and parsed strictly.
/// </summary>
public sealed class AtmFeedClient(HttpClient http, Uri feedUrl)
{
    public const string DefaultFeedPath = "public_data/rss/rss.xml";

    public Uri FeedUrl => feedUrl;

    public async Task<IReadOnlyList<TenderRecord>> GetCurrentAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, feedUrl).WithOperation("austender-atm-rss", retrySafe: true);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return AtmRssParser.Parse(stream, feedUrl);
    }
}
