using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>A deletion reported upstream (TGA <c>SearchDeletedByDeletedDate</c>): the key it removes and when.</summary>
public sealed record TombstoneRecord(string Key, string Operation, DateTimeOffset? DeletedAt) : ISnapshotRecord
{
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        SnapshotJson.Instant(writer, "deletedAt", DeletedAt);
        writer.WriteString("key", Key);
        writer.WriteString("operation", Operation);
        writer.WriteEndObject();
    }
}
