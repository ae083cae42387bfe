using System.Globalization;
using System.Text.Json;

namespace Rtgf.Ingestion.Enrichment;

/// <summary>
/// What the geocoder said about one address: <see cref="Found"/> with the first result (<c>OK</c>), not found
/// (<c>ZERO_RESULTS</c>, a stored answer, not an error), or refused for this address (<see cref="Problem"/>: <c>INVALID_REQUEST</c>
/// or an answer without the documented shape; stored for the RTO, asked again next run). <see cref="GeocodedAt"/>: when it was
/// answered (a stored answer younger than <c>Enrich:GeocodeMaxAge</c> for the same query is reused). Quota and credential answers never become a result: they are a
/// <see cref="GeocoderQuotaException"/>, so an RTO is never marked "not found" because the key ran out.
/// </summary>
public sealed record GeocodeResult(
    bool Found,
    string? FormattedAddress = null,
    decimal? Latitude = null,
    decimal? Longitude = null,
    string? LocationType = null,
    string? PlaceId = null,
    bool PartialMatch = false,
    string? Problem = null,
    DateTimeOffset? GeocodedAt = null)
{
    public static GeocodeResult NotFound { get; } = new(false);

    /// <summary>The status written for this answer: <c>found</c>, <c>no-result</c> or <c>refused</c>.</summary>
    public string Status => Found ? "found" : Problem is null ? "no-result" : "refused";

    public static GeocodeResult Refusal(string problem, DateTimeOffset at) => new(false, Problem: problem, GeocodedAt: at);

    public void WriteJson(Utf8JsonWriter writer, string query)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("formattedAddress", FormattedAddress);
        writer.WriteString("geocodedAt", GeocodedAt?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        WriteNumber(writer, "lat", Latitude);
        WriteNumber(writer, "lng", Longitude);
        writer.WriteString("locationType", LocationType);
        writer.WriteBoolean("partialMatch", PartialMatch);
        writer.WriteString("placeId", PlaceId);
        writer.WriteString("problem", Problem);
        writer.WriteString("query", query);
        writer.WriteString("status", Status);
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number / 1.000000000000000000000000000000000m);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
