using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>A normalised record ready for a snapshot: a stable key and one JSON object with a fixed (sorted) member order.</summary>
public interface ISnapshotRecord
{
    /// <summary>The record's identity across snapshots, e.g. <c>rto:90001</c> or <c>scope:90001:BSB40120</c>.</summary>
    string Key { get; }

    /// <summary>Writes the record as one JSON object, members in ordinal order, values invariant.</summary>
    void WriteJson(Utf8JsonWriter writer);
}
