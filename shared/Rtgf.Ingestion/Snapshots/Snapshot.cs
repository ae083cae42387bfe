namespace Rtgf.Ingestion.Snapshots;

/// <summary>A built snapshot: its manifest, the manifest's canonical bytes and the JSON-lines records they describe.</summary>
public sealed class Snapshot(SnapshotManifest manifest, ReadOnlyMemory<byte> manifestJson, ReadOnlyMemory<byte> records)
{
    public SnapshotManifest Manifest { get; } = manifest;

    /// <summary>The canonical JSON of <see cref="Manifest"/> (what is stored as <c>manifest.json</c>).</summary>
    public ReadOnlyMemory<byte> ManifestJson { get; } = manifestJson;

    /// <summary>One canonical record per line, each ending in <c>\n</c>, sorted by key then bytes.</summary>
    public ReadOnlyMemory<byte> Records { get; } = records;
}
