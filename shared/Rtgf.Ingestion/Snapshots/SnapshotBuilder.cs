using System.Buffers;
using System.Text.Json;
using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Snapshots;

/// <summary>
/// Cuts a snapshot from normalised records: each record canonicalised (RFC 8785), sorted by key then bytes (ordinal),
/// one per line ending in <c>\n</c>, and the manifest with the SHA-256 of those lines. The same records give the same
/// bytes in any order, culture or time zone. A key seen twice with different content is an error.
/// </summary>
public static class SnapshotBuilder
{
    private static readonly SearchValues<char> SourceChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    public static Snapshot Build(
        string source, string runId, DateTimeOffset fetchedAt, IEnumerable<SnapshotProvenance> provenance, IEnumerable<ISnapshotRecord> records)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(provenance);
        ArgumentNullException.ThrowIfNull(records);
        if (!IsSourceName(source))
        {
            throw new SnapshotException($"Source '{source}' must be lowercase letters, digits and '-' (it is a storage path segment).");
        }

        var lines = new List<(string Key, byte[] Json)>();
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var record in records)
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                record.WriteJson(writer);
            }

            lines.Add((record.Key, CanonicalJson.Canonicalize(buffer.WrittenSpan)));
        }

        lines.Sort(static (a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : a.Json.AsSpan().SequenceCompareTo(b.Json);
        });

        var output = new ArrayBufferWriter<byte>();
        var count = 0L;
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0 && string.Equals(lines[i].Key, lines[i - 1].Key, StringComparison.Ordinal))
            {
                if (lines[i].Json.AsSpan().SequenceEqual(lines[i - 1].Json))
                {
                    continue; // the same record fetched twice (e.g. on two pages) is one record
                }

                throw new SnapshotException($"Record key '{lines[i].Key}' appears twice with different content.");
            }

            output.Write(lines[i].Json);
            output.Write("\n"u8);
            count++;
        }

        var bytes = output.WrittenMemory.ToArray();
        var digest = DigestOf(bytes);
        var sortedProvenance = provenance
            .OrderBy(p => p.Url, StringComparer.Ordinal)
            .ThenBy(p => p.Operation, StringComparer.Ordinal)
            .ThenBy(p => p.ETag, StringComparer.Ordinal)
            .ThenBy(p => p.ServerTime)
            .ToList();
        var manifest = new SnapshotManifest(source, runId, fetchedAt.ToUniversalTime(), count, digest, sortedProvenance);
        return new Snapshot(manifest, manifest.ToCanonicalJson(), bytes);
    }

    /// <summary><c>sha256:&lt;hex&gt;</c> of a records file, as the manifest states it.</summary>
    public static string DigestOf(ReadOnlySpan<byte> records) => Sha256Digest.Of(records);

    private static bool IsSourceName(string source) =>
        source.Length <= 63 && !source.AsSpan().ContainsAnyExcept(SourceChars);
}
