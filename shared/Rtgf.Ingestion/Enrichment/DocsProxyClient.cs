using System.Net;
using System.Text.Json;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Enrichment;

/// <summary>
/// Our docs proxy (<c>rto-docs-proxy</c>, upstream <c>docs-proxy</c>): <c>GET v1/page?url=</c> answers a public page's metadata
/// and the documents it links (docs/spec/enrichment.md). Strict: a 200 without the contract's shape is an
/// <see cref="UpstreamFormatException"/>; a page the proxy could not get is an unavailable <see cref="PageMetadata"/>.
/// </summary>
public sealed class DocsProxyClient(HttpClient http)
{
    public const string Operation = "docs-page";

    public async Task<PageMetadata> GetPageAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/page?url=" + Uri.EscapeDataString(url.AbsoluteUri)).WithOperation(Operation);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            if (ProxyProblem.IsUnavailable(response.StatusCode))
            {
                return new PageMetadata(url.AbsoluteUri, false, Status: (int)response.StatusCode, Problem: await ProxyProblem.TitleAsync(response, cancellationToken).ConfigureAwait(false));
            }

            await ProxyProblem.ThrowUnexpectedAsync("docs proxy", response, cancellationToken).ConfigureAwait(false);
        }

        return Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), url);
    }

    internal static PageMetadata Parse(byte[] body, Uri asked)
    {
        const string What = "Docs proxy page";
        using var document = StrictJson.Parse(body, What);
        var root = document.RootElement;
        var url = StrictJson.String(root, "url", What);
        if (!string.Equals(url, asked.AbsoluteUri, StringComparison.Ordinal))
        {
            throw new UpstreamFormatException($"{What}: answered for '{Clip(url)}', not the page asked for.");
        }

        var documents = new List<PageDocument>();
        foreach (var item in StrictJson.Member(root, "documents", JsonValueKind.Array, What).EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new UpstreamFormatException($"{What}: a documents item is not an object.");
            }

            var link = StrictJson.String(item, "url", What + " document");
            if (!Uri.TryCreate(link, UriKind.Absolute, out var absolute) || absolute.Scheme is not ("http" or "https"))
            {
                throw new UpstreamFormatException($"{What}: document url '{Clip(link)}' is not an absolute http(s) URL.");
            }

            documents.Add(new PageDocument(
                StrictJson.Url(absolute.AbsoluteUri, "documents.url", What),
                StrictJson.ClipText(StrictJson.OptionalString(item, "title", What + " document")),
                StrictJson.ClipText(StrictJson.OptionalString(item, "type", What + " document"))));
        }

        var hash = StrictJson.OptionalString(root, "contentHash", What);
        if (hash is not null && !(hash.StartsWith("sha256:", StringComparison.Ordinal) && hash.Length == 71))
        {
            throw new UpstreamFormatException($"{What}: contentHash is not sha256:<64 hex>.");
        }

        return new PageMetadata(
            url,
            true,
            StrictJson.Url(StrictJson.String(root, "finalUrl", What), "finalUrl", What),
            StrictJson.Int32(root, "status", What),
            StrictJson.ClipText(StrictJson.OptionalString(root, "title", What)),
            StrictJson.ClipText(StrictJson.OptionalString(root, "description", What)),
            StrictJson.OptionalInstant(root, "lastModified", What),
            StrictJson.ClipText(StrictJson.OptionalString(root, "contentType", What)),
            hash,
            [.. documents.DistinctBy(d => d.Url, StringComparer.Ordinal).OrderBy(d => d.Url, StringComparer.Ordinal).Take(PageMetadata.MaxDocuments)]);
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
