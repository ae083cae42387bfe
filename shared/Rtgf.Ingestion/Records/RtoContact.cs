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
        writer.WriteString("email", Email);
        writer.WriteString("firstName", FirstName);
        writer.WriteString("jobTitle", JobTitle);
        writer.WriteString("lastName", LastName);
        writer.WriteString("organisationName", OrganisationName);
        writer.WriteString("phone", Phone);
        if (PostalAddress is { } address)
        {
            writer.WritePropertyName("postalAddress");
            address.WriteJson(writer);
        }
        else
        {
            writer.WriteNull("postalAddress");
        }

        writer.WriteString("roleCode", RoleCode);
        writer.WriteString("typeCode", TypeCode);
        writer.WriteEndObject();
    }
}
