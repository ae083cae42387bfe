using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Teqsa;

/// <summary>Reads the TEQSA National Register pages (base address from configuration) through the outbound pipeline.</summary>
public sealed class TeqsaClient(HttpClient http)
{
    /// <summary>Provider page paths linked from the register page (default <c>national-register</c>).</summary>
    /// <remarks>Follows the pager's <c>a[rel=next]</c> links (the register shows 50 providers a page).</remarks>
    public async Task<IReadOnlyList<string>> GetProviderLinksAsync(string registerPath = "national-register", CancellationToken cancellationToken = default)
    {
        const int MaxPages = 1000;
        var links = new SortedSet<string>(StringComparer.Ordinal);
        var page = new Uri(registerPath, UriKind.Relative);
        for (var i = 0; i < MaxPages; i++)
        {
            var html = await GetAsync(page.OriginalString, "teqsa-register", cancellationToken);
            links.UnionWith(TeqsaRegisterParser.ParseProviderLinks(html));
            if (TeqsaRegisterParser.ParseNextPageLink(html) is not { } next)
            {
                return [.. links];
            }

            // Resolve against a dummy root: the pager's hrefs are page-relative (e.g. "?page=1").
            var root = new Uri("http://register.invalid/");
            page = new Uri(root.MakeRelativeUri(new Uri(new Uri(root, page), next)).OriginalString, UriKind.Relative);
        }

        throw new UpstreamFormatException($"TEQSA register: still a next page after {MaxPages} pages.");
    }

    /// <summary>One provider page, e.g. <c>national-register/provider/university-queensland</c>.</summary>
    public async Task<TeqsaProviderRecord> GetProviderAsync(string providerPath, CancellationToken cancellationToken = default) =>
        TeqsaRegisterParser.ParseProvider(await GetAsync(providerPath.TrimStart('/'), "teqsa-provider", cancellationToken), providerPath);

    private async Task<string> GetAsync(string path, string operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path).WithOperation(operation);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
