using System.Text;
using System.Text.Json;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Enrichment;

/// <summary>
/// Google's Geocoding API (<c>GET maps/api/geocode/json?address=&amp;components=country:AU&amp;key=</c>, docs/research/geocoding.md)
/// through the outbound pipeline (upstream <c>geocoder</c>; its per-host rate limit keeps us under the provider's). Google
/// answers HTTP 200 with a <c>status</c>: <c>OK</c> and <c>ZERO_RESULTS</c> are results; <c>OVER_QUERY_LIMIT</c> and
/// <c>UNKNOWN_ERROR</c> are transient and retried here with a bounded backoff (the pipeline only retries HTTP failures);
/// <c>OVER_DAILY_LIMIT</c>, <c>REQUEST_DENIED</c> and an <c>OVER_QUERY_LIMIT</c> whose error_message names the daily quota are a
/// <see cref="GeocoderQuotaException"/>; <c>INVALID_REQUEST</c> and
/// anything else are an <see cref="UpstreamFormatException"/>. The key travels only in the query string: the request's
/// operation is the key-free label <see cref="Operation"/>, which is all the pipeline's log, metrics and raw capture name.
/// </summary>
public sealed class GeocoderClient(HttpClient http, string apiKey, TimeProvider time)
{
    /// <summary>The operation label of every geocoder request (logs, metrics, raw payload names).</summary>
    public const string Operation = "geocode";

    /// <summary>Retries of an <c>OVER_QUERY_LIMIT</c>/<c>UNKNOWN_ERROR</c> answer before giving up.</summary>
    public int MaxBusyRetries { get; init; } = 3;

    /// <summary>First delay after a busy answer; doubled each retry.</summary>
    public TimeSpan BusyBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<GeocodeResult> GeocodeAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, RelativeUri(address)).WithOperation(Operation);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // No URL in the message: it holds the key.
                throw new HttpRequestException($"The geocoder answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var (status, result, error) = Parse(body);
            switch (status)
            {
                case "OK":
                    return result!;
                case "ZERO_RESULTS":
                    return GeocodeResult.NotFound;
                case "OVER_DAILY_LIMIT" or "REQUEST_DENIED":
                case "OVER_QUERY_LIMIT" when IsDailyQuota(error):
                    throw new GeocoderQuotaException($"The geocoder answered {status}{Detail(error)}.") { Status = status };
                case "OVER_QUERY_LIMIT" or "UNKNOWN_ERROR" when attempt < MaxBusyRetries:
                    await Task.Delay(BusyBaseDelay * (1 << attempt), time, cancellationToken).ConfigureAwait(false);
                    continue;
                case "OVER_QUERY_LIMIT" or "UNKNOWN_ERROR":
                    throw new GeocoderBusyException($"The geocoder answered {status} {attempt + 1} times{Detail(error)}.");
                default:
                    throw new UpstreamFormatException($"The geocoder answered {status}{Detail(error)}.");
            }
        }
    }

    /// <summary>The request path: the address as given, limited to Australia (the components filter), and the key.</summary>
    private string RelativeUri(string address) => new StringBuilder("maps/api/geocode/json?address=")
        .Append(Uri.EscapeDataString(address))
        .Append("&components=").Append(Uri.EscapeDataString("country:AU"))
        .Append("&key=").Append(Uri.EscapeDataString(apiKey))
        .ToString();

    /// <summary>The status, the first result when OK, and the error_message; a body without the documented shape is refused.</summary>
    internal static (string Status, GeocodeResult? Result, string? Error) Parse(byte[] body)
    {
        const string What = "Geocoding answer";
        using var document = StrictJson.Parse(body, What);
        var root = document.RootElement;
        var status = StrictJson.String(root, "status", What);
        var error = StrictJson.OptionalString(root, "error_message", What);
        if (status != "OK")
        {
            return (status, null, error);
        }

        var results = StrictJson.Member(root, "results", JsonValueKind.Array, What);
        if (results.GetArrayLength() == 0)
        {
            throw new UpstreamFormatException($"{What}: status OK with no results.");
        }

        var first = results[0];
        if (first.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamFormatException($"{What}: results[0] is not an object.");
        }

        var geometry = StrictJson.Member(first, "geometry", JsonValueKind.Object, What + " results[0]");
        var location = StrictJson.Member(geometry, "location", JsonValueKind.Object, What + " geometry");
        var lat = StrictJson.Number(location, "lat", What + " location");
        var lng = StrictJson.Number(location, "lng", What + " location");
        if (lat is < -90 or > 90 || lng is < -180 or > 180)
        {
            throw new UpstreamFormatException($"{What}: location ({lat}, {lng}) is not a coordinate.");
        }

        return (status, new GeocodeResult(
            true,
            StrictJson.String(first, "formatted_address", What + " results[0]"),
            lat,
            lng,
            StrictJson.String(geometry, "location_type", What + " geometry"),
            StrictJson.String(first, "place_id", What + " results[0]"),
            StrictJson.OptionalBoolean(first, "partial_match", What + " results[0]")), error);
    }

    /// <summary>
    /// Google reports a spent daily quota as <c>OVER_QUERY_LIMIT</c> with "You have exceeded your daily request quota for this
    /// API." (googlemaps/google-maps-services-java#697), not only as <c>OVER_DAILY_LIMIT</c>: retrying it only burns the page.
    /// </summary>
    internal static bool IsDailyQuota(string? error) => error is not null && error.Contains("daily", StringComparison.OrdinalIgnoreCase) && error.Contains("quota", StringComparison.OrdinalIgnoreCase);

    private static string Detail(string? error) => error is { Length: > 0 } ? ": " + (error.Length <= 200 ? error : error[..200] + "…") : string.Empty;
}
