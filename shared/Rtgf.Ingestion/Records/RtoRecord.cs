using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// An organisation/RTO from TGA <c>GetDetails</c>: the current legal person's name and ABN, current trading names,
/// the current registration manager and the latest registration period. <see cref="Status"/> is TGA's
/// <c>RegistrationStatus</c> label as the versioned service sends it (Rto3: e.g. <c>Current</c>, <c>Non-current</c>,
/// <c>Cancelled</c>); null when the service sends none, never derived (a status from the period's end date would depend on
/// the day we read it, and the mirror re-reads an organisation only when TGA changes it).
/// <see cref="Contacts"/> and <see cref="Locations"/> are the current ones (rows without an end date), each list distinct
/// and ordered ordinally by its items' canonical JSON, whatever order they are given in.
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
    public IReadOnlyList<RtoContact> Contacts { get; init; } = [];

    public IReadOnlyList<RtoAddress> Locations { get; init; } = [];

    /// <summary>
    /// The organisation's current web addresses (TGA <c>Urls</c>), sorted. Written only when there are some, so records read
    /// without them keep their bytes (and their snapshot digests); the enrichment reads the first (docs/spec/enrichment.md).
    /// </summary>
    public IReadOnlyList<string> Websites { get; init; } = [];

    public string Key => "rto:" + Code;

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("abn", Abn);
        writer.WriteString("code", Code);
        SnapshotJson.Objects(writer, "contacts", Contacts, static (w, c) => c.WriteJson(w));
        writer.WriteString("legalName", LegalName);
        SnapshotJson.Objects(writer, "locations", Locations, static (w, a) => a.WriteJson(w));
        SnapshotJson.Date(writer, "registrationEnd", RegistrationEnd);
        writer.WriteString("registrationManager", RegistrationManager);
        SnapshotJson.Date(writer, "registrationStart", RegistrationStart);
        writer.WriteString("status", Status);
        SnapshotJson.Strings(writer, "tradingNames", TradingNames);
        SnapshotJson.Instant(writer, "updatedDate", UpdatedDate);
        if (Websites.Count > 0)
        {
            SnapshotJson.Strings(writer, "websites", Websites.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        }
        writer.WriteEndObject();
    }
}
