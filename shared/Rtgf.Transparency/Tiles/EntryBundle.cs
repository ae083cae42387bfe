using System.Buffers.Binary;

namespace Rtgf.Transparency.Tiles;

/// <summary>Entry bundles: each entry as a big-endian uint16 length followed by its bytes (so at most 65,535 bytes).</summary>
public static class EntryBundle
{
    public const int MaxEntrySize = ushort.MaxValue;

    public static byte[] Encode(IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var length = 0;
        foreach (var entry in entries)
        {
            if (entry.Length > MaxEntrySize)
            {
                throw new ArgumentException($"An entry is {entry.Length} bytes; entries are at most {MaxEntrySize} bytes.", nameof(entries));
            }

            length += 2 + entry.Length;
        }

        var bundle = new byte[length];
        var offset = 0;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(offset), (ushort)entry.Length);
            entry.Span.CopyTo(bundle.AsSpan(offset + 2));
            offset += 2 + entry.Length;
        }

        return bundle;
    }

    public static IReadOnlyList<ReadOnlyMemory<byte>> Decode(ReadOnlyMemory<byte> bundle)
    {
        var entries = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        while (offset < bundle.Length)
        {
            if (bundle.Length - offset < 2)
            {
                throw new FormatException($"The entry bundle ends inside a length prefix at byte {offset}.");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle.Span[offset..]);
            if (bundle.Length - offset - 2 < length)
            {
                throw new FormatException($"The entry bundle's entry {entries.Count} claims {length} bytes but only {bundle.Length - offset - 2} remain.");
            }

            entries.Add(bundle.Slice(offset + 2, length));
            offset += 2 + length;
        }

        return entries;
    }
}
