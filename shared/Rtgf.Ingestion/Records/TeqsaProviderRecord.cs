using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>A higher-education provider from the TEQSA National Register (provider id <c>PRVnnnnn</c>).</summary>
public sealed record TeqsaProviderRecord(
    string ProviderId, string Name, string? Abn, string? Category, string? SelfAccreditingAuthority, string? Status,
    DateOnly? RegistrationExpiry, string? Website, IReadOnlyList<TeqsaCourseRecord> Courses) : ISnapshotRecord
{
    public string Key => "teqsa-provider:" + ProviderId;

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("abn", Abn);
        writer.WriteString("category", Category);
        writer.WriteStartArray("courses");
        foreach (var course in Courses)
        {
            course.WriteJson(writer);
        }

        writer.WriteEndArray();
        writer.WriteString("name", Name);
        writer.WriteString("providerId", ProviderId);
        SnapshotJson.Date(writer, "registrationExpiry", RegistrationExpiry);
        writer.WriteString("selfAccreditingAuthority", SelfAccreditingAuthority);
        writer.WriteString("status", Status);
        writer.WriteString("website", Website);
        writer.WriteEndObject();
    }
}
