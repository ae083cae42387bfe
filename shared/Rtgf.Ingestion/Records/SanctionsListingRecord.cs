using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// One party on the DFAT Consolidated List: the primary-name row with the names of its alias/original-script rows.
/// Date of birth stays text (the source holds partial and free-text dates).
/// </summary>
public sealed record SanctionsListingRecord(
    string Reference, string Name, string Type, IReadOnlyList<string> Aliases, string? DateOfBirth, string? PlaceOfBirth, string? Citizenship,
    string? ListingInformation, string? Committees, DateOnly? ControlDate, string? Instrument) : ISnapshotRecord
{
    public string Key => "sanction:" + Reference;

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        SnapshotJson.Strings(writer, "aliases", Aliases);
        writer.WriteString("citizenship", Citizenship);
        writer.WriteString("committees", Committees);
        SnapshotJson.Date(writer, "controlDate", ControlDate);
        writer.WriteString("dateOfBirth", DateOfBirth);
        writer.WriteString("instrument", Instrument);
        writer.WriteString("listingInformation", ListingInformation);
        writer.WriteString("name", Name);
        writer.WriteString("placeOfBirth", PlaceOfBirth);
        writer.WriteString("reference", Reference);
        writer.WriteString("type", Type);
        writer.WriteEndObject();
    }
}
