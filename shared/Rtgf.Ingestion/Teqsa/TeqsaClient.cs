using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Teqsa;

/// <summary>
/// Reads the TEQSA National Register pages (base address from configuration) through the outbound pipeline. Links
/// found in the pages (providers, the pager's <c>next</c>) are followed only when relative or on the configured origin
/// (<see cref="UpstreamOrigin"/>): a tampered page fails the read with an <see cref="UpstreamOriginException"/> before
/// anything is fetched from another host.
/// </summary>
public sealed class TeqsaClient(HttpClient http)
{
    private readonly UpstreamOrigin _origin = new(http.BaseAddress ?? throw new ArgumentException("The TEQSA client needs an HttpClient with a BaseAddress (the register's origin).", nameof(http)));

    /// <summary>
    /// Provider pages linked from the register page (default <c>national-register</c>): each link resolved against the
    /// page it was found on and checked against the origin, distinct, sorted by URL.
    /// </summary>
    /// <remarks>Follows the pager's <c>a[rel=next]</c> links (the register shows 50 providers a page).</remarks>
    public async Task<IReadOnlyList<Uri>> GetProviderLinksAsync(string registerPath = "national-register", CancellationToken cancellationToken = default)
    {
        const int MaxPages = 1000;
        var links = new SortedDictionary<string, Uri>(StringComparer.Ordinal);
        var page = _origin.Resolve(_origin.BaseAddress, registerPath, "The TEQSA register path");
        for (var i = 0; i < MaxPages; i++)
        {
            var html = await GetAsync(page, "teqsa-register", cancellationToken);
            foreach (var link in TeqsaRegisterParser.ParseProviderLinks(html))
            {
                // Kept resolved: the link means what it meant on its page, whatever the base address's path.
                var provider = _origin.Resolve(page, link, $"A provider link on TEQSA register page {page.PathAndQuery}");
                links.TryAdd(provider.AbsoluteUri, provider);
            }

            if (TeqsaRegisterParser.ParseNextPageLink(html) is not { } next)
            {
                return [.. links.Values];
            }

            // The pager's hrefs are page-relative (e.g. "?page=1").
            page = _origin.Resolve(page, next, $"The next page link on TEQSA register page {page.PathAndQuery}");
        }

        throw new UpstreamFormatException($"TEQSA register: still a next page after {MaxPages} pages.");
    }

    /// <summary>One provider page, exactly the URL <see cref="GetProviderLinksAsync"/> gave (on the configured origin).</summary>
    public async Task<TeqsaProviderRecord> GetProviderAsync(Uri provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _origin.Require(provider, "The TEQSA provider link");
        return TeqsaRegisterParser.ParseProvider(await GetAsync(provider, "teqsa-provider", cancellationToken), provider.PathAndQuery);
    }

    private async Task<string> GetAsync(Uri page, string operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page).WithOperation(operation);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
