using System.Text.Json;

namespace Rtgf.Ingestion.Enrichment;

/// <summary>
/// What the geocoder said about one address: <see cref="Found"/> with the first result (<c>OK</c>), or not found
/// (<c>ZERO_RESULTS</c>, a stored answer, not an error). Quota and credential answers never become a result: they are a
/// <see cref="GeocoderQuotaException"/>, so an RTO is never marked "not found" because the key ran out.
/// </summary>
public sealed record GeocodeResult(
    bool Found,
    string? FormattedAddress = null,
    decimal? Latitude = null,
    decimal? Longitude = null,
    string? LocationType = null,
    string? PlaceId = null,
    bool PartialMatch = false)
{
    public static GeocodeResult NotFound { get; } = new(false);

    public void WriteJson(Utf8JsonWriter writer, string query)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("formattedAddress", FormattedAddress);
        WriteNumber(writer, "lat", Latitude);
        WriteNumber(writer, "lng", Longitude);
        writer.WriteString("locationType", LocationType);
        writer.WriteBoolean("partialMatch", PartialMatch);
        writer.WriteString("placeId", PlaceId);
        writer.WriteString("query", query);
        writer.WriteString("status", Found ? "found" : "no-result");
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
