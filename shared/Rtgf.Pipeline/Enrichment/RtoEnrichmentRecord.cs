using System.Globalization;
using System.Text.Json;
using Rtgf.Ingestion.Enrichment;
using Rtgf.Ingestion.Records;

namespace Rtgf.Pipeline.Enrichment;

/// <summary>
/// One RTO's enrichment (table <c>rtoenrichment</c>, row per RTO code): the geocode of its head-office address (null with
/// <c>address</c> null when the RTO has none), the docs proxy's page metadata and the trust proxy's signals for its website
/// (null without one), and the run and page that wrote it (a retried page skips RTOs its run already wrote).
/// </summary>
public sealed record RtoEnrichmentRecord(string Code, string RunId, int Page, string? Address, GeocodeResult? Geocode, string? Website, PageMetadata? Docs, TrustSignals? Trust) : ISnapshotRecord
{
    public string Key => "enrichment:" + Code;

    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("address", Address);
        writer.WriteString("code", Code);
        WriteOrNull(writer, "docs", Docs, static (w, d) => d.WriteJson(w));
        if (Geocode is { } geocode && Address is { } address)
        {
            writer.WritePropertyName("geocode");
            geocode.WriteJson(writer, address);
        }
        else
        {
            writer.WriteNull("geocode");
        }

        writer.WriteNumber("page", Page);
        writer.WriteString("runId", RunId);
        WriteOrNull(writer, "trust", Trust, static (w, t) => t.WriteJson(w));
        writer.WriteString("website", Website);
        writer.WriteEndObject();
    }

    /// <summary>The geocode a stored row holds with the query it answered (null: none), for reuse by a later run.</summary>
    public static (string Query, GeocodeResult Result)? ReadGeocode(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("geocode", out var g) || g.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? Text(string name) => g.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        decimal? Number(string name) => g.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;
        if (Text("query") is not { } query || Text("status") is not { } status)
        {
            return null;
        }

        DateTimeOffset? at = Text("geocodedAt") is { } text && DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : null;
        var partial = g.TryGetProperty("partialMatch", out var p) && p.ValueKind == JsonValueKind.True;
        return (query, new GeocodeResult(status == "found", Text("formattedAddress"), Number("lat"), Number("lng"), Text("locationType"), Text("placeId"), partial, status == "refused" ? Text("problem") ?? "refused" : null, at));
    }

    private static void WriteOrNull<T>(Utf8JsonWriter writer, string name, T? value, Action<Utf8JsonWriter, T> write)
        where T : class
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            write(writer, value);
        }
    }
}
