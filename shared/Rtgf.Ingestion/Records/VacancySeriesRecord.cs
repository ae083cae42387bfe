using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// One Internet Vacancy Index series: the job-ad counts of one ANZSCO group (<see cref="Level"/> digits; 0 for the total)
/// in one state or <c>AUST</c>, month by month, as published in <see cref="Series"/> (e.g. <c>anzsco4-3mma</c>, the 4-digit
/// 3-month average). A whole series is one record, so a revision rewrites its months and can never duplicate one.
/// </summary>
public sealed record VacancySeriesRecord(
    string Series,
    string State,
    string Code,
    string Title,
    int Level,
    IReadOnlyList<VacancyPoint> Points) : ISnapshotRecord
{
    public string Key => $"vacancy-series:{Series}:{State}:{Code}";

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("code", Code);
        writer.WriteNumber("level", Level);
        writer.WriteStartArray("points");
        foreach (var point in Points.OrderBy(p => p.Month))
        {
            writer.WriteStartObject();
            SnapshotJson.Date(writer, "month", point.Month);
            SnapshotJson.Number(writer, "value", point.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("series", Series);
        writer.WriteString("state", State);
        writer.WriteString("title", Title);
        writer.WriteEndObject();
    }
}

/// <summary>One month of a vacancy series: <see cref="Month"/> is the first day of the reference month.</summary>
public sealed record VacancyPoint(DateOnly Month, decimal Value);
