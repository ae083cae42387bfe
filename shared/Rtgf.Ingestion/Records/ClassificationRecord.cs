using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// A training component's classification in TGA (<c>Classification</c>: scheme, value, purpose, end date). Scheme <c>01</c>
/// is the ANZSCO identifier (<see cref="AnzscoScheme"/>), which links a qualification to the occupations it leads to; an
/// end-dated one was replaced. The end date is written only when TGA gives one, so the records of open classifications
/// keep their bytes. The start date is not kept: TGA gives one for every classification, so writing it would change every
/// component record for a case (a classification that starts later) not seen upstream.
/// </summary>
public sealed record ClassificationRecord(string Scheme, string Value, string? Purpose, DateOnly? EndDate = null)
{
    public const string AnzscoScheme = "01";

    internal void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (EndDate is not null)
        {
            SnapshotJson.Date(writer, "endDate", EndDate);
        }

        writer.WriteString("purpose", Purpose);
        writer.WriteString("scheme", Scheme);

        writer.WriteString("value", Value);
        writer.WriteEndObject();
    }
}
