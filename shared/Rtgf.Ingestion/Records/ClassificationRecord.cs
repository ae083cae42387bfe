using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// A training component's classification in TGA (<c>Classification</c>: scheme, value, purpose). Scheme <c>01</c> is
/// the ANZSCO identifier (<see cref="AnzscoScheme"/>), which links a qualification to the occupations it leads to.
/// </summary>
public sealed record ClassificationRecord(string Scheme, string Value, string? Purpose)
{
    public const string AnzscoScheme = "01";

    internal void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("purpose", Purpose);
        writer.WriteString("scheme", Scheme);
        writer.WriteString("value", Value);
        writer.WriteEndObject();
    }
}
