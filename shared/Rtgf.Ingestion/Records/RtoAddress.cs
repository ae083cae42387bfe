using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// A TGA <c>Address</c> as an RTO record carries it (a location, or a contact's postal address): trimmed text, empty as
/// null. <c>StateOverseas</c> is not kept. Written as <c>{countryCode, line1, line2, postcode, stateCode, suburb}</c>.
/// </summary>
public sealed record RtoAddress(string? CountryCode, string? Line1, string? Line2, string? Postcode, string? StateCode, string? Suburb)
{
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        SnapshotJson.StringMembers(writer, ("countryCode", CountryCode), ("line1", Line1), ("line2", Line2), ("postcode", Postcode), ("stateCode", StateCode), ("suburb", Suburb));
        writer.WriteEndObject();
    }
}
