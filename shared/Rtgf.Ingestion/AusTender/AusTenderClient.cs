using System.Globalization;
using System.Net;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.AusTender;

/// <summary>
/// AusTender's OCDS API through the outbound pipeline: <c>ocds/findByDates/contractLastModified/{from}/{to}</c> for one
/// window, every page (following <c>links.next</c>, which must stay on the configured origin and never repeat), parsed
/// strictly. A 400 with <c>errorCode</c> 100 is AusTender's way of saying the window is empty.
/// </summary>
public sealed class AusTenderClient(HttpClient http, Uri baseUrl)
{
    public const string WindowPath = "ocds/findByDates/contractLastModified/";

    /// <summary>Pages per window before the client calls it a loop (a day holds a few hundred releases; 100 per page).</summary>
    public const int MaxPages = 1000;

    private readonly UpstreamOrigin _origin = new(baseUrl);

    public static string DateSegment(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public Uri WindowUrl(DateTimeOffset from, DateTimeOffset to) =>
        new(baseUrl, WindowPath + DateSegment(from) + "/" + DateSegment(to));

    /// <summary>Every contract notice released (last modified) in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<OcdsWindow> GetWindowAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (to <= from)
        {
            throw new ArgumentException($"The window [{DateSegment(from)}, {DateSegment(to)}) is empty.", nameof(to));
        }

        var url = WindowUrl(from, to);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var contracts = new List<ContractNoticeRecord>();
        var notes = new List<string>();
        var releases = 0;
        var pages = 0;
        while (true)
        {
            if (!seen.Add(url.AbsoluteUri) || pages >= MaxPages)
            {
                throw new UpstreamFormatException($"AusTender OCDS: links.next loops back to {url.AbsoluteUri} (page {pages + 1} of window {DateSegment(from)}..{DateSegment(to)}).");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, url).WithOperation("austender-ocds-window", retrySafe: true);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.BadRequest && OcdsReleaseParser.IsEmptyWindow(body))
            {
                if (pages == 0)
                {
                    return new OcdsWindow(from, to, 0, 0, [], []);
                }

                throw new UpstreamFormatException($"AusTender OCDS: page {pages + 1} ({url.AbsoluteUri}) answered 'no records' after {pages} page(s).");
            }

            response.EnsureSuccessStatusCode();
            var page = OcdsReleaseParser.Parse(body);
            pages++;
            releases += page.Releases;
            contracts.AddRange(page.Contracts);
            notes.AddRange(page.Notes);
            if (page.Next is null)
            {
                return new OcdsWindow(from, to, pages, releases, contracts, notes);
            }

            url = _origin.Resolve(url, page.Next, "AusTender OCDS links.next");
        }
    }
}

/// <summary>One window's contract notices (one per contract per release, in upstream order), with page and release counts and non-fatal notes.</summary>
public sealed record OcdsWindow(DateTimeOffset From, DateTimeOffset To, int Pages, int Releases, IReadOnlyList<ContractNoticeRecord> Contracts, IReadOnlyList<string> Notes);
