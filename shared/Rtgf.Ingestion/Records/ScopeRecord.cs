using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>One row of an RTO's scope of registration: which component, with which extent code, over which period.</summary>
public sealed record ScopeRecord(
    string OrganisationCode,
    string ComponentCode,
    IReadOnlyList<string> ComponentTypes,
    string? Extent,
    bool IsImplicit,
    bool IsRefused,
    string? Decision,
    DateOnly? StartDate,
    DateOnly? EndDate) : ISnapshotRecord
{
    public string Key => $"scope:{OrganisationCode}:{ComponentCode}";

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("componentCode", ComponentCode);
        SnapshotJson.Strings(writer, "componentTypes", ComponentTypes);
        writer.WriteString("decision", Decision);
        SnapshotJson.Date(writer, "endDate", EndDate);
        writer.WriteString("extent", Extent);
        writer.WriteBoolean("isImplicit", IsImplicit);
        writer.WriteBoolean("isRefused", IsRefused);
        writer.WriteString("organisationCode", OrganisationCode);
        SnapshotJson.Date(writer, "startDate", StartDate);
        writer.WriteEndObject();
    }
}
