using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// An organisation/RTO from TGA <c>GetDetails</c>: the current legal person's name and ABN, current trading names,
/// the current registration manager and the latest registration period. <see cref="Status"/> is TGA's
/// <c>RegistrationStatus</c> where the service sends it (Rto3), else null.
/// </summary>
public sealed record RtoRecord(
    string Code,
    string? LegalName,
    string? Abn,
    IReadOnlyList<string> TradingNames,
    string? Status,
    string? RegistrationManager,
    DateOnly? RegistrationStart,
    DateOnly? RegistrationEnd,
    DateTimeOffset? UpdatedDate) : ISnapshotRecord
{
    public string Key => "rto:" + Code;

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("abn", Abn);
        writer.WriteString("code", Code);
        writer.WriteString("legalName", LegalName);
        SnapshotJson.Date(writer, "registrationEnd", RegistrationEnd);
        writer.WriteString("registrationManager", RegistrationManager);
        SnapshotJson.Date(writer, "registrationStart", RegistrationStart);
        writer.WriteString("status", Status);
        SnapshotJson.Strings(writer, "tradingNames", TradingNames);
        SnapshotJson.Instant(writer, "updatedDate", UpdatedDate);
        writer.WriteEndObject();
    }
}
