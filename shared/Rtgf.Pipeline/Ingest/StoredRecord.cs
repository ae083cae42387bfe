using System.Text;
using System.Text.Json;
using Rtgf.Ingestion.Records;

namespace Rtgf.Pipeline.Ingest;

/// <summary>A record read back from a table (already canonical JSON), fed to the snapshot builder as it is.</summary>
internal sealed class StoredRecord(string key, string json) : ISnapshotRecord
{
    public string Key { get; } = key;

    public void WriteJson(Utf8JsonWriter writer) => writer.WriteRawValue(Encoding.UTF8.GetBytes(json), skipInputValidation: true);
}
