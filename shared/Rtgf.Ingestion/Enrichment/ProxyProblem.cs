using System.Net;
using System.Text.Json;

namespace Rtgf.Ingestion.Enrichment;

/// <summary>
/// How the docs and trust proxies' answers that are not a result are read (docs/spec/enrichment.md): a page the proxy could not
/// get (404, 410, 422, 502 problem) is a stored "unavailable" with the problem's title; a refused request (400) or anything
/// else unexpected is an <see cref="UpstreamFormatException"/>; 429 and 5xx are transient and were already retried by the pipeline.
/// </summary>
internal static class ProxyProblem
{
    public static bool IsUnavailable(HttpStatusCode status) => status is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadGateway;

    public static async Task<string> TitleAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
            {
                return Clip(title.GetString()!);
            }
        }
        catch (JsonException)
        {
            // not a problem document: the status says enough
        }

        return "HTTP " + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ThrowUnexpectedAsync(string proxy, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if ((int)response.StatusCode is 429 or >= 500)
        {
            throw new HttpRequestException($"The {proxy} answered HTTP {(int)response.StatusCode} after the pipeline's retries.", null, response.StatusCode);
        }

        throw new UpstreamFormatException($"The {proxy} answered HTTP {(int)response.StatusCode}: {await TitleAsync(response, cancellationToken).ConfigureAwait(false)}.");
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
