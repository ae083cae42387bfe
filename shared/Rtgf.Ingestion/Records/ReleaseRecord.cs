using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>One release of a training component; <see cref="UnitCodes"/> is its unit grid (sorted).</summary>
public sealed record ReleaseRecord(string ReleaseNumber, DateOnly? ReleaseDate, string? Currency, IReadOnlyList<string> UnitCodes)
{
    internal void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("currency", Currency);
        SnapshotJson.Date(writer, "releaseDate", ReleaseDate);
        writer.WriteString("releaseNumber", ReleaseNumber);
        SnapshotJson.Strings(writer, "unitCodes", UnitCodes);
        writer.WriteEndObject();
    }
}
