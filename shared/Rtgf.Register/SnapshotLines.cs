using System.Text.Json;

namespace Rtgf.Register;

/// <summary>Walks a snapshot's JSON lines in place; a line that does not parse or read is a <see cref="FormatException"/> naming it.</summary>
internal static class SnapshotLines
{
    /// <param name="records">The snapshot's records, one JSON object per line.</param>
    /// <param name="read">Reads one record; throws what a malformed record gives (JSON, missing member, bad value).</param>
    /// <param name="describe">Names the snapshot and the reader for the error, given the 1-based line.</param>
    public static void Read(ReadOnlyMemory<byte> records, Action<JsonElement> read, Func<int, string> describe)
    {
        var line = 0;
        while (records.Length > 0)
        {
            line++;
            var end = records.Span.IndexOf((byte)'\n');
            var text = end < 0 ? records : records[..end];
            records = end < 0 ? ReadOnlyMemory<byte>.Empty : records[(end + 1)..];
            if (text.IsEmpty)
            {
                continue;
            }

            try
            {
                // Parsed in place: the snapshot's bytes outlive the document, so no copy of each line.
                using var document = JsonDocument.Parse(text);
                read(document.RootElement);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new FormatException($"{describe(line)}: {e.Message}", e);
            }
        }
    }
}
