using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// A current TGA <c>Contact</c> of an organisation (trimmed text, empty as null). Personal data: it goes into the snapshot
/// for the catalogue API, never into a token's facts. <c>Fax</c>, <c>GroupName</c>, <c>Mobile</c> and <c>Title</c> are not kept.
/// </summary>
public sealed record RtoContact(
    string? Email,
    string? FirstName,
    string? JobTitle,
    string? LastName,
    string? OrganisationName,
    string? Phone,
    RtoAddress? PostalAddress,
    string? RoleCode,
    string? TypeCode)
{
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        SnapshotJson.StringMembers(
            writer, ("email", Email), ("firstName", FirstName), ("jobTitle", JobTitle), ("lastName", LastName), ("organisationName", OrganisationName), ("phone", Phone));
        SnapshotJson.Object(writer, "postalAddress", PostalAddress, static (w, a) => a.WriteJson(w));
        SnapshotJson.StringMembers(writer, ("roleCode", RoleCode), ("typeCode", TypeCode));
        writer.WriteEndObject();
    }
}
