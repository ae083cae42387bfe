using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>A TEQSA-accredited course listed on a provider's register page.</summary>
public sealed record TeqsaCourseRecord(string Title, string? Status, DateOnly? RenewalDate)
{
    internal void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        SnapshotJson.Date(writer, "renewalDate", RenewalDate);
        writer.WriteString("status", Status);
        writer.WriteString("title", Title);
        writer.WriteEndObject();
    }
}
