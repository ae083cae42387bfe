using System.IO.Compression;

namespace Rtgf.UpstreamSimulator.Formats;

/// <summary>ZIP archives whose bytes depend only on their entries: names sorted ordinally, one fixed timestamp.</summary>
internal static class DeterministicZip
{
    /// <summary>The DOS epoch, the earliest time a ZIP entry can carry.</summary>
    public static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] Create(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                using var target = entry.Open();
                target.Write(content);
            }
        }

        return stream.ToArray();
    }
}
