using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>A CRICOS institution (provider code <c>NNNNNA</c>).</summary>
public sealed record CricosProviderRecord(
    string ProviderCode, string InstitutionName, string? TradingName, string? InstitutionType, int? Capacity, string? Website,
    string? PostalCity, string? PostalState, string? PostalPostcode) : ISnapshotRecord
{
    public string Key => "cricos-provider:" + ProviderCode;

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Capacity is { } capacity)
        {
            writer.WriteNumber("capacity", capacity);
        }
        else
        {
            writer.WriteNull("capacity");
        }

        writer.WriteString("institutionName", InstitutionName);
        writer.WriteString("institutionType", InstitutionType);
        writer.WriteString("postalCity", PostalCity);
        writer.WriteString("postalPostcode", PostalPostcode);
        writer.WriteString("postalState", PostalState);
        writer.WriteString("providerCode", ProviderCode);
        writer.WriteString("tradingName", TradingName);
        writer.WriteString("website", Website);
        writer.WriteEndObject();
    }
}
