using System.Text;
using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Storage;

namespace Rtgf.Pipeline.Ingest;

/// <summary>Turns records into stored rows: RFC 8785 canonical JSON and its <c>sha256:</c> digest.</summary>
public static class RecordRows
{
    public static MirrorRow From(ISnapshotRecord record, string partitionKey, string rowKey, DateTimeOffset modified, string runId, bool deleted = false)
    {
        ArgumentNullException.ThrowIfNull(record);
        var canonical = CanonicalJson.Canonicalize(SnapshotJson.ToUtf8(record));
        return new MirrorRow(TableKeys.Escape(partitionKey), TableKeys.Escape(rowKey), record.Key, Encoding.UTF8.GetString(canonical), DigestOf(canonical), modified, deleted, runId);
    }

    public static string DigestOf(ReadOnlySpan<byte> canonical) => Sha256Digest.Of(canonical);
}
