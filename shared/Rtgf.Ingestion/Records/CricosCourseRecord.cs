using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>A CRICOS course of one provider, with its TGA code (VET only), fees and the names of the locations offering it.</summary>
public sealed record CricosCourseRecord(
    string ProviderCode, string CourseCode, string CourseName, string? VetNationalCode, string? CourseLevel, int? DurationWeeks,
    decimal? TuitionFee, decimal? NonTuitionFee, decimal? EstimatedTotalCost, bool Expired, IReadOnlyList<string> Locations) : ISnapshotRecord
{
    public string Key => $"cricos-course:{ProviderCode}:{CourseCode}";

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("courseCode", CourseCode);
        writer.WriteString("courseLevel", CourseLevel);
        writer.WriteString("courseName", CourseName);
        Number(writer, "durationWeeks", DurationWeeks);
        Money(writer, "estimatedTotalCost", EstimatedTotalCost);
        writer.WriteBoolean("expired", Expired);
        SnapshotJson.Strings(writer, "locations", Locations);
        Money(writer, "nonTuitionFee", NonTuitionFee);
        writer.WriteString("providerCode", ProviderCode);
        Money(writer, "tuitionFee", TuitionFee);
        writer.WriteString("vetNationalCode", VetNationalCode);
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    // Money as an invariant string: decimals keep their scale and survive canonicalisation without float rounding.
    private static void Money(Utf8JsonWriter writer, string name, decimal? value) =>
        writer.WriteString(name, value?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
}
