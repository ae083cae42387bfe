using System.Net;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Enrichment;

/// <summary>
/// Our trust proxy (<c>rto-trust-proxy</c>, upstream <c>trust-proxy</c>): <c>GET v1/signals?url=</c> answers a site's trust
/// signals (docs/spec/enrichment.md). Strict as <see cref="DocsProxyClient"/>; an ABN that is not 11 digits is refused.
/// </summary>
public sealed class TrustProxyClient(HttpClient http)
{
    public const string Operation = "trust-signals";

    public async Task<TrustSignals> GetSignalsAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/signals?url=" + Uri.EscapeDataString(url.AbsoluteUri)).WithOperation(Operation);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            if (ProxyProblem.IsUnavailable(response.StatusCode))
            {
                return new TrustSignals(url.AbsoluteUri, false, Problem: await ProxyProblem.TitleAsync(response, cancellationToken).ConfigureAwait(false));
            }

            await ProxyProblem.ThrowUnexpectedAsync("trust proxy", response, cancellationToken).ConfigureAwait(false);
        }

        return Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), url);
    }

    internal static TrustSignals Parse(byte[] body, Uri asked)
    {
        const string What = "Trust proxy signals";
        using var document = StrictJson.Parse(body, What);
        var root = document.RootElement;
        var url = StrictJson.String(root, "url", What);
        if (!string.Equals(url, asked.AbsoluteUri, StringComparison.Ordinal))
        {
            throw new UpstreamFormatException($"{What}: answered for another URL than the one asked for.");
        }

        var abn = StrictJson.OptionalString(root, "abnOnPage", What);
        if (abn is not null && !(abn.Length == 11 && abn.All(char.IsAsciiDigit)))
        {
            throw new UpstreamFormatException($"{What}: abnOnPage is not 11 digits.");
        }

        return new TrustSignals(
            url,
            true,
            StrictJson.ClipText(StrictJson.String(root, "host", What))!,
            StrictJson.Boolean(root, "https", What),
            StrictJson.Boolean(root, "hsts", What),
            StrictJson.OptionalInstant(root, "certificateExpiresAt", What),
            StrictJson.Boolean(root, "securityTxt", What),
            abn);
    }
}
