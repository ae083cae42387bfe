using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>A CRICOS provider location; its key is (provider code, location name), as in the source.</summary>
public sealed record CricosLocationRecord(
    string ProviderCode, string LocationName, string? LocationType, string? City, string? State, string? Postcode) : ISnapshotRecord
{
    public string Key => $"cricos-location:{ProviderCode}:{LocationName}";

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("city", City);
        writer.WriteString("locationName", LocationName);
        writer.WriteString("locationType", LocationType);
        writer.WriteString("postcode", Postcode);
        writer.WriteString("providerCode", ProviderCode);
        writer.WriteString("state", State);
        writer.WriteEndObject();
    }
}
