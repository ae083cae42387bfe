using System.Net;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.DataGovAu;

/// <summary>
/// data.gov.au's CKAN Action API (<c>{base}/data/api/3/action/…</c>, keyless) through the outbound pipeline (upstream
/// <c>datagovau</c>, setting <c>Upstream:DataGovAu:BaseUrl</c>). Answers are parsed strictly (<see cref="CkanJson"/>).
/// <paramref name="pageSize"/> is <c>package_search</c>'s <c>rows</c> (CKAN caps it at 1000, <c>ckan.search.rows_max</c>).
/// It is the one client of the upstream: the Magda monitor and the calendar's holidays both read through it, and a
/// resource's file is downloaded through it too (<see cref="DownloadAsync"/>), on the configured origin only.
/// </summary>
public sealed partial class CkanClient(HttpClient http, int pageSize = CkanClient.DefaultPageSize)
{
    /// <summary>The Action API's path under the site root.</summary>
    public const string ActionPath = "data/api/3/action/";

    /// <summary>CKAN's <c>__type</c> for a purged or unknown dataset.</summary>
    public const string NotFoundError = "Not Found Error";

    /// <summary>CKAN's <c>__type</c> for a dataset an anonymous caller may not read: soft-deleted or private.</summary>
    public const string AuthorizationError = "Authorization Error";

    // Search pages overlap by one row (the last one seen), so a page must hold at least one new row too.
    private readonly int pageSize = pageSize >= 2 ? pageSize : throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "A search page holds at least 2 rows (pages overlap by one).");

    /// <summary>data.gov.au's configured origin: resource URLs are followed only on it.</summary>
    public UpstreamOrigin Origin { get; } = new(http.BaseAddress ?? throw new ArgumentException("The CKAN client needs an HttpClient with a BaseAddress (data.gov.au's origin).", nameof(http)));

    /// <summary>
    /// A resource's <c>url</c> resolved against the Action API (CKAN writes absolute URLs; a relative one is allowed) and
    /// refused with an <see cref="UpstreamOriginException"/> when it is off the configured origin (it is never fetched).
    /// A resource without a URL is a format error.
    /// </summary>
    public Uri ResourceUrl(CkanResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var link = resource.Url ?? throw new UpstreamFormatException($"CKAN resource {resource.Id} has no url.");
        return Origin.Resolve(new Uri(Origin.BaseAddress, ActionPath), link, $"The url of CKAN resource {resource.Id}");
    }

    /// <summary>A resource's file at <paramref name="url"/> (on the configured origin only), with the answer's ETag.</summary>
    public async Task<CkanFile> DownloadAsync(Uri url, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        Origin.Require(url, "A CKAN resource URL");
        using var request = new HttpRequestMessage(HttpMethod.Get, url).WithOperation(operation);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return new CkanFile(url, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), response.Headers.ETag?.Tag);
    }

    /// <summary>
    /// <c>package_show?id=</c> (slug or uuid): the dataset with its resources, or null when it is withdrawn or hidden:
    /// CKAN soft-deletes (<c>state=deleted</c>) and answers an anonymous <c>package_show</c> on a deleted or private
    /// dataset with <c>403 {"success": false, "error": {"__type": "Authorization Error"}}</c>; only a purged (or never
    /// existing) one is <c>404 Not Found Error</c> (also accepted inside an HTTP 200); a result whose <c>state</c> is not
    /// <c>active</c> or that is <c>private</c> is hidden too. Any other refusal, an HTTP error or a body without the
    /// envelope is an error.
    /// </summary>
    public async Task<CkanDataset?> PackageShowAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        const string Action = "package_show";
        using var request = new HttpRequestMessage(HttpMethod.Get, ActionPath + "package_show?id=" + Uri.EscapeDataString(id)).WithOperation("ckan-package-show");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await ReadAsync(response, Action + " " + id, cancellationToken).ConfigureAwait(false);
        using var document = CkanJson.Parse(body, $"{Action} {id}");
        var refusal = CkanJson.ErrorType(document);
        if ((refusal == NotFoundError && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.OK)
            || (refusal == AuthorizationError && response.StatusCode == HttpStatusCode.Forbidden))
        {
            return null;
        }

        var result = CkanJson.Result(document, $"{Action} {id}");
        response.EnsureSuccessStatusCode();
        var dataset = CkanJson.Dataset(result, $"{Action} {id}");
        return dataset.Hidden ? null : dataset;
    }

    /// <summary>
    /// The body of an answer CKAN may put its envelope in (2xx, or the 4xx of a refused action); any other status fails
    /// with it (the pipeline has already retried what is transient).
    /// </summary>
    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode && response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest))
        {
            response.EnsureSuccessStatusCode();
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && (body.Length == 0 || body[0] != (byte)'{'))
        {
            throw new HttpRequestException($"CKAN {what}: HTTP {(int)response.StatusCode} without an Action API envelope.", null, response.StatusCode);
        }

        return body;
    }
}
