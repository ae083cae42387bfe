using System.Globalization;
using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// A dated calendar entry of source <c>calendar</c>: a public holiday in one state or territory
/// (<c>holiday:{jurisdiction}:{yyyy-MM-dd}</c>, from data.gov.au's holidays dataset) or a regulatory key date
/// (<c>key-date:{id}:{yyyy-MM-dd}</c>, from the checked-in key-date file). <see cref="Jurisdiction"/> is a state code
/// (<c>NSW</c>…<c>ACT</c>) or <c>national</c> (key dates only: the dataset's national rows are expanded into every state).
/// </summary>
public sealed record CalendarDateRecord(
    string Kind,
    DateOnly Date,
    string Jurisdiction,
    string Title,
    string? Information,
    string? Source,
    DateOnly? EffectiveFrom,
    string? Id = null,
    DateOnly? EffectiveTo = null,
    bool? Verified = null) : ISnapshotRecord
{
    public const string HolidayKind = "holiday";
    public const string KeyDateKind = "key-date";
    public const string National = "national";

    /// <summary>The state and territory codes, in the order the ABS and JSA list them.</summary>
    public static IReadOnlyList<string> States { get; } = ["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"];

    public string Key => Kind == HolidayKind
        ? $"holiday:{Jurisdiction}:{DateText(Date)}"
        : $"key-date:{Id}:{DateText(Date)}";

    public static string DateText(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("date", DateText(Date));
        SnapshotJson.Date(writer, "effectiveFrom", EffectiveFrom);
        if (Kind == KeyDateKind)
        {
            SnapshotJson.Date(writer, "effectiveTo", EffectiveTo);
            writer.WriteString("id", Id);
        }

        writer.WriteString("information", Information);
        writer.WriteString("jurisdiction", Jurisdiction);
        writer.WriteString("kind", Kind);
        writer.WriteString("source", Source);
        writer.WriteString("title", Title);
        if (Kind == KeyDateKind)
        {
            writer.WriteBoolean("verified", Verified ?? false);
        }

        writer.WriteEndObject();
    }
}
