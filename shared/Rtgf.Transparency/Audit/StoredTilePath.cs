using System.Globalization;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Audit;

/// <summary>A tlog-tiles object path taken apart: level (-1 for entry bundles), index and width. Only canonical paths parse.</summary>
internal readonly record struct StoredTilePath(int Level, long Index, int Width)
{
    public const int EntriesLevel = -1;

    public string Path => Level == EntriesLevel ? TileLayout.EntryBundlePath(Index, Width) : TileLayout.TilePath(Level, Index, Width);

    public static bool TryParse(string path, out StoredTilePath parsed)
    {
        parsed = default;
        if (!path.StartsWith("tile/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path["tile/".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        var levelText = rest[..slash];
        int level;
        if (levelText == "entries")
        {
            level = EntriesLevel;
        }
        else if (!int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out level) || level > TileLayout.MaxLevel)
        {
            return false;
        }

        var indexText = rest[(slash + 1)..];
        var width = TileLayout.Width;
        var partial = indexText.IndexOf(".p/", StringComparison.Ordinal);
        if (partial >= 0)
        {
            if (!int.TryParse(indexText[(partial + 3)..], NumberStyles.None, CultureInfo.InvariantCulture, out width) || width < 1 || width >= TileLayout.Width)
            {
                return false;
            }

            indexText = indexText[..partial];
        }

        if (!long.TryParse(indexText.Replace("x", string.Empty, StringComparison.Ordinal).Replace("/", string.Empty, StringComparison.Ordinal),
                NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return false;
        }

        parsed = new StoredTilePath(level, index, width);
        return string.Equals(parsed.Path, path, StringComparison.Ordinal); // only the canonical spelling (x-groups, no padding games)
    }
}
