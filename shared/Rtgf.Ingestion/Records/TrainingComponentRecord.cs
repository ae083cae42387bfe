using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// A training component (qualification, unit, skill set, …) from TGA <c>GetDetails</c>.
/// <see cref="Status"/> is the state of the open usage recommendation (no end date); <see cref="Currency"/> that of the latest release.
/// </summary>
public sealed record TrainingComponentRecord(
    string Code,
    IReadOnlyList<string> ComponentTypes,
    string Title,
    string Status,
    string? Currency,
    IReadOnlyList<ReleaseRecord> Releases,
    IReadOnlyList<string> Supersedes,
    IReadOnlyList<string> SupersededBy,
    IReadOnlyList<UsageRecommendationRecord> UsageRecommendations,
    string? ParentCode,
    DateTimeOffset? UpdatedDate) : ISnapshotRecord
{
    public string Key => "component:" + Code;

    /// <summary>The component's classifications (ANZSCO, field of education, …), sorted; written only when there are some, so older snapshots keep their bytes.</summary>
    public IReadOnlyList<ClassificationRecord> Classifications { get; init; } = [];

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Classifications.Count > 0)
        {
            writer.WriteStartArray("classifications");
            foreach (var classification in Classifications
                .OrderBy(c => c.Scheme, StringComparer.Ordinal)
                .ThenBy(c => c.Value, StringComparer.Ordinal)
                .ThenBy(c => c.Purpose, StringComparer.Ordinal)
                .ThenBy(c => c.EndDate))
            {
                classification.WriteJson(writer);
            }

            writer.WriteEndArray();
        }

        writer.WriteString("code", Code);
        SnapshotJson.Strings(writer, "componentTypes", ComponentTypes);
        writer.WriteString("currency", Currency);
        writer.WriteString("parentCode", ParentCode);
        writer.WriteStartArray("releases");
        foreach (var release in Releases)
        {
            release.WriteJson(writer);
        }

        writer.WriteEndArray();
        writer.WriteString("status", Status);
        SnapshotJson.Strings(writer, "supersededBy", SupersededBy);
        SnapshotJson.Strings(writer, "supersedes", Supersedes);
        writer.WriteString("title", Title);
        SnapshotJson.Instant(writer, "updatedDate", UpdatedDate);
        writer.WriteStartArray("usageRecommendations");
        foreach (var usage in UsageRecommendations)
        {
            usage.WriteJson(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
