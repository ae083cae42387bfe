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
