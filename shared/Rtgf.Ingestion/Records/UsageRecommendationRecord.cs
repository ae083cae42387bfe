using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>One period of a component's usage recommendation (Current, Superseded, Deleted).</summary>
public sealed record UsageRecommendationRecord(string State, DateOnly? StartDate, DateOnly? EndDate)
{
    internal void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        SnapshotJson.Date(writer, "endDate", EndDate);
        SnapshotJson.Date(writer, "startDate", StartDate);
        writer.WriteString("state", State);
        writer.WriteEndObject();
    }
}
