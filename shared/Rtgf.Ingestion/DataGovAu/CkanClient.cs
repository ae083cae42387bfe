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
    /// <c>package_show?id=</c> (slug or uuid): the dataset with its resources, or null when CKAN answers
    /// <c>404 {"success": false, "error": {"__type": "Not Found Error"}}</c> (withdrawn or never there). Any other refusal,
    /// an HTTP error or a body without the envelope is an error.
    /// </summary>
    public async Task<CkanDataset?> PackageShowAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        const string Action = "package_show";
        using var request = new HttpRequestMessage(HttpMethod.Get, ActionPath + "package_show?id=" + Uri.EscapeDataString(id)).WithOperation("ckan-package-show");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await ReadAsync(response, Action + " " + id, cancellationToken).ConfigureAwait(false);
        using var document = CkanJson.Parse(body, $"{Action} {id}");
        if (response.StatusCode == HttpStatusCode.NotFound && CkanJson.ErrorType(document) == "Not Found Error")
        {
            return null;
        }

        var result = CkanJson.Result(document, $"{Action} {id}");
        response.EnsureSuccessStatusCode();
        return CkanJson.Dataset(result, $"{Action} {id}");
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
