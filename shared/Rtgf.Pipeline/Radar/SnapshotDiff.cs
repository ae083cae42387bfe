using System.Text.Json;

namespace Rtgf.Pipeline.Radar;

/// <summary>One record that differs between two snapshots: its key and its JSON line before and after (null: absent).</summary>
public readonly record struct RecordChange(string Key, ReadOnlyMemory<byte>? Before, ReadOnlyMemory<byte>? After);

/// <summary>
/// Diffs two snapshots' JSON lines by record key and bytes. A snapshot's lines are sorted by key (docs/spec/snapshots.md)
/// and the lines do not carry the key, so <c>keyOf</c> rebuilds it from the members (as the compiler does); lines it
/// gives no key for are not the radar's and are skipped. The two files are walked once, side by side, without copying a
/// line: a national TGA snapshot is half a million lines.
/// </summary>
public static class SnapshotDiff
{
    public delegate string? KeyOf(ref Utf8JsonReader reader);

    public static IEnumerable<RecordChange> Changes(ReadOnlyMemory<byte> before, ReadOnlyMemory<byte> after, KeyOf keyOf)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        using var left = new Lines(before, keyOf).GetEnumerator();
        using var right = new Lines(after, keyOf).GetEnumerator();
        var hasLeft = left.MoveNext();
        var hasRight = right.MoveNext();
        while (hasLeft || hasRight)
        {
            var order = !hasLeft ? 1 : !hasRight ? -1 : string.CompareOrdinal(left.Current.Key, right.Current.Key);
            if (order < 0)
            {
                yield return new RecordChange(left.Current.Key, left.Current.Line, null);
                hasLeft = left.MoveNext();
            }
            else if (order > 0)
            {
                yield return new RecordChange(right.Current.Key, null, right.Current.Line);
                hasRight = right.MoveNext();
            }
            else
            {
                if (!left.Current.Line.Span.SequenceEqual(right.Current.Line.Span))
                {
                    yield return new RecordChange(left.Current.Key, left.Current.Line, right.Current.Line);
                }

                hasLeft = left.MoveNext();
                hasRight = right.MoveNext();
            }
        }
    }

    /// <summary>The keys of one snapshot's lines that <paramref name="keyOf"/> names, in order.</summary>
    public static IEnumerable<string> Keys(ReadOnlyMemory<byte> records, KeyOf keyOf) => new Lines(records, keyOf).Select(l => l.Key);

    /// <summary>The keyed lines of one snapshot, in order; a key out of order means <c>keyOf</c> disagrees with the builder's keys.</summary>
    private sealed class Lines(ReadOnlyMemory<byte> records, KeyOf keyOf) : IEnumerable<(string Key, ReadOnlyMemory<byte> Line)>
    {
        public IEnumerator<(string Key, ReadOnlyMemory<byte> Line)> GetEnumerator()
        {
            var rest = records;
            string? previous = null;
            var number = 0;
            while (rest.Length > 0)
            {
                number++;
                var end = rest.Span.IndexOf((byte)'\n');
                var line = end < 0 ? rest : rest[..end];
                rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
                if (line.IsEmpty)
                {
                    continue;
                }

                var key = Key(line.Span, number);
                if (key is null)
                {
                    continue;
                }

                if (previous is not null && string.CompareOrdinal(previous, key) >= 0)
                {
                    throw new FormatException($"Snapshot line {number}: key '{key}' is not after '{previous}' (the lines are not in key order).");
                }

                previous = key;
                yield return (key, line);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private string? Key(ReadOnlySpan<byte> line, int number)
        {
            try
            {
                var reader = new Utf8JsonReader(line);
                return keyOf(ref reader);
            }
            catch (JsonException e)
            {
                throw new FormatException($"Snapshot line {number} is not JSON: {e.Message}", e);
            }
        }
    }
}
