using System.Text.Json;
using Rtgf.Ingestion.Records;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>A snapshot record for the test compiler: <c>{"facts":{…},"key":…}</c>.</summary>
internal sealed record TestRecord(string Key, string FactsJson) : ISnapshotRecord
{
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("facts");
        writer.WriteRawValue(FactsJson);
        writer.WriteString("key", Key);
        writer.WriteEndObject();
    }
}
