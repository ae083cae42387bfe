using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// One ABS Data API (SDMX) series: <see cref="Dataflow"/> (<c>ABS,LF,1.0.0</c>), its series key in the data structure's
/// dimension order (<c>M3.3.1599.20.AUS.M</c>), what it measures, the state it covers (<c>NSW</c> … <c>ACT</c>, <c>AUS</c>),
/// the unit (with its multiplier, e.g. <c>Thousands of persons</c>), and its observations by SDMX period
/// (<c>2025-04</c>, <c>2025-Q1</c>, <c>2025</c>). A correction upstream rewrites the whole record.
/// </summary>
public sealed record LabourSeriesRecord(
    string Dataflow,
    string SeriesKey,
    string Measure,
    string State,
    string Unit,
    IReadOnlyList<LabourObservation> Observations) : ISnapshotRecord
{
    public string Key => $"labour-series:{Dataflow}:{SeriesKey}";

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("dataflow", Dataflow);
        writer.WriteString("measure", Measure);
        writer.WriteStartArray("observations");
        foreach (var observation in Observations.OrderBy(o => o.Period, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("period", observation.Period);
            writer.WriteString("status", observation.Status);
            SnapshotJson.Number(writer, "value", observation.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("seriesKey", SeriesKey);
        writer.WriteString("state", State);
        writer.WriteString("unit", Unit);
        writer.WriteEndObject();
    }
}

/// <summary>One observation: the SDMX period, the value, and the observation status when the ABS flags one (e.g. <c>r</c> revised).</summary>
public sealed record LabourObservation(string Period, decimal Value, string? Status);
