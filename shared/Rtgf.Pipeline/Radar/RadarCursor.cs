using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rtgf.Pipeline.Radar;

/// <summary>
/// <c>RADAR_CURSOR</c>: the last plan turned into items (<see cref="Sequence"/>; 0 before any) and, per source read, the
/// snapshot digest it reached. Kept as JSON in the radar's <c>watermarks</c> row (<c>SourceState.Cursor</c>).
/// </summary>
public sealed record RadarCursor(long Sequence, IReadOnlyDictionary<string, string> Digests)
{
    public static RadarCursor Empty { get; } = new(0, new SortedDictionary<string, string>(StringComparer.Ordinal));

    public static RadarCursor Parse(string? json) =>
        json is null ? Empty : JsonSerializer.Deserialize(json, RadarJsonContext.Default.RadarCursor) ?? Empty;

    public string ToJson() => JsonSerializer.Serialize(this with { Digests = new SortedDictionary<string, string>(Digests.ToDictionary(), StringComparer.Ordinal) }, RadarJsonContext.Default.RadarCursor);

    public RadarCursor Advance(RadarPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var digests = new SortedDictionary<string, string>(Digests.ToDictionary(), StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            digests[step.Source] = step.To;
        }

        return new RadarCursor(plan.Sequence, digests);
    }
}

/// <summary>One source's part of a plan: from the cursor's digest (null: the first crawl, a baseline) to the latest.</summary>
public sealed record RadarPlanStep(string Source, string? From, string To);

/// <summary>
/// A crawl's plan, recorded before any item is written (<c>SourceState.Plan</c>): whoever runs it — the crawl that made
/// it, a retry after a crash, a concurrent crawl — derives the same items with the same sequence, time and row keys.
/// <see cref="Attempts"/> counts the crawls that started applying it and <see cref="Error"/> is the last failure's; after
/// <see cref="RadarCrawlWorker.MaxPlanAttempts"/> the plan is poisoned. <see cref="Skip"/> is the operator's way past a
/// poisoned plan: the cursor moves to its digests and it raises no item.
/// </summary>
public sealed record RadarPlan(long Sequence, DateTimeOffset ObservedAt, string RunId, IReadOnlyList<RadarPlanStep> Steps)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Attempts { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Skip { get; init; }

    public static RadarPlan? Parse(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, RadarJsonContext.Default.RadarPlan);

    public string ToJson() => JsonSerializer.Serialize(this, RadarJsonContext.Default.RadarPlan);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RadarCursor))]
[JsonSerializable(typeof(RadarPlan))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
internal sealed partial class RadarJsonContext : JsonSerializerContext;
