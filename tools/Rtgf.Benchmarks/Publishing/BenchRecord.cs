using System.Text.Json;
using Rtgf.Ingestion.Records;

namespace Rtgf.Benchmarks.Publishing;

/// <summary>An RTO-shaped snapshot record: <c>{"facts":{code,name,status},"key":"rto:…"}</c>.</summary>
internal sealed record BenchRecord(string Key, string Code, string Name, string Status) : ISnapshotRecord
{
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("facts");
        writer.WriteStartObject();
        writer.WriteString("code", Code);
        writer.WriteString("name", Name);
        writer.WriteString("status", Status);
        writer.WriteEndObject();
        writer.WriteString("key", Key);
        writer.WriteEndObject();
    }
}
