using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// One occupation on Jobs and Skills Australia's Occupation Shortage List: its code in <see cref="Classification"/>
/// (<see cref="AnzscoClassification"/> or <see cref="OscaClassification"/>), the national rating and one rating per state
/// and territory (<c>S</c> shortage, <c>R</c> regional, <c>M</c> metropolitan, <c>NS</c> no shortage), from the list of
/// <see cref="ListYear"/>. The key carries no year: a new list's rating for the same occupation is a change of this record.
/// </summary>
public sealed record OccupationShortageRecord(
    string Classification,
    string Code,
    string Title,
    int ListYear,
    string National,
    IReadOnlyDictionary<string, string> States,
    int? SkillLevel) : ISnapshotRecord
{
    public const string AnzscoClassification = "anzsco-2022";
    public const string OscaClassification = "osca-2024";

    /// <summary>The ratings the list uses.</summary>
    public static IReadOnlyList<string> Ratings { get; } = ["M", "NS", "R", "S"];

    /// <summary>The state and territory columns, in the list's order.</summary>
    public static IReadOnlyList<string> StateCodes { get; } = ["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"];

    public string Key => $"occupation-shortage:{Classification}:{Code}";

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("classification", Classification);
        writer.WriteString("code", Code);
        writer.WriteNumber("listYear", ListYear);
        writer.WriteString("national", National);
        if (SkillLevel is { } level)
        {
            writer.WriteNumber("skillLevel", level);
        }
        else
        {
            writer.WriteNull("skillLevel");
        }

        writer.WriteStartObject("states");
        foreach (var (state, rating) in States.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            writer.WriteString(state, rating);
        }

        writer.WriteEndObject();
        writer.WriteString("title", Title);
        writer.WriteEndObject();
    }
}
