using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rtgf.Register.Stats;

/// <summary>
/// The statistics as stored and served (web defaults: camelCase members, map keys as the sources give them). The stored
/// document's bytes are the answer of <c>/v1/stats</c>, so one serialisation serves both.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PublicationStats))]
[JsonSerializable(typeof(StatsHistoryEntry))]
public sealed partial class StatsJson : JsonSerializerContext
{
    public static byte[] Serialize(PublicationStats stats) => JsonSerializer.SerializeToUtf8Bytes(stats, Default.PublicationStats);

    /// <summary>A stored document; one that is not is a <see cref="FormatException"/>.</summary>
    public static PublicationStats Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, Default.PublicationStats) ?? throw new FormatException("The statistics document is null.");
        }
        catch (JsonException e)
        {
            throw new FormatException("The statistics document is not one: " + e.Message, e);
        }
    }
}
