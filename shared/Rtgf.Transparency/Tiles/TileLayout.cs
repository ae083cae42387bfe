using System.Globalization;
using System.Text;

namespace Rtgf.Transparency.Tiles;

/// <summary>The C2SP tlog-tiles layout (tile height 8): object paths and which tiles exist for a tree size.</summary>
public static class TileLayout
{
    public const int Height = 8;
    public const int Width = 1 << Height;

    /// <summary>
    /// The highest level any tree has: sizes are int64, so level 7 (256^7 = 2^56 leaves per hash) is the last that can hold a
    /// hash, and <see cref="TileAddress.LeafEnd"/> stays exact in 128 bits up to it. tlog-tiles spells levels up to 63;
    /// higher ones cannot exist here and are refused where paths are parsed.
    /// </summary>
    public const int MaxLevel = 7;
    public const string CheckpointPath = "checkpoint";

    /// <summary><c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c>.</summary>
    public static string TilePath(int level, long index, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        return "tile/" + level.ToString(CultureInfo.InvariantCulture) + "/" + FormatIndex(index) + WidthSuffix(width);
    }

    /// <summary><c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>.</summary>
    public static string EntryBundlePath(long index, int width) => "tile/entries/" + FormatIndex(index) + WidthSuffix(width);

    /// <summary>N in 3-digit groups, all but the last prefixed with <c>x</c>: 1234067 → <c>x001/x234/067</c>.</summary>
    public static string FormatIndex(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var text = new StringBuilder();
        var digits = index.ToString(CultureInfo.InvariantCulture);
        var padded = digits.PadLeft((digits.Length + 2) / 3 * 3, '0');
        for (var i = 0; i < padded.Length; i += 3)
        {
            if (i + 3 < padded.Length)
            {
                text.Append('x').Append(padded, i, 3).Append('/');
            }
            else
            {
                text.Append(padded, i, 3);
            }
        }

        return text.ToString();
    }

    /// <summary>The number of hashes stored at <paramref name="level"/> for a tree of <paramref name="treeSize"/> leaves.</summary>
    public static long HashCount(int level, long treeSize) => level * Height >= 64 ? 0 : (long)((ulong)treeSize >> (level * Height));

    /// <summary>Every tile a tree of <paramref name="treeSize"/> serves: full tiles, then the partial one, per level.</summary>
    public static IEnumerable<TileAddress> TilesForSize(long treeSize) => NewTiles(0, treeSize);

    /// <summary>The tiles that a tree growing from <paramref name="oldSize"/> to <paramref name="newSize"/> writes (as sumdb's NewTiles).</summary>
    public static IEnumerable<TileAddress> NewTiles(long oldSize, long newSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(newSize, oldSize);
        for (var level = 0; HashCount(level, newSize) > 0; level++)
        {
            var oldCount = HashCount(level, oldSize);
            var newCount = HashCount(level, newSize);
            if (oldCount == newCount)
            {
                continue;
            }

            for (var index = oldCount / Width; index < newCount / Width; index++)
            {
                yield return new TileAddress(level, index, Width);
            }

            if (newCount % Width != 0)
            {
                yield return new TileAddress(level, newCount / Width, (int)(newCount % Width));
            }
        }
    }

    /// <summary>The entry bundles that a tree growing from <paramref name="oldSize"/> to <paramref name="newSize"/> writes.</summary>
    public static IEnumerable<EntryBundleAddress> NewEntryBundles(long oldSize, long newSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(newSize, oldSize);
        if (oldSize == newSize)
        {
            yield break;
        }

        for (var index = oldSize / Width; index < newSize / Width; index++)
        {
            yield return new EntryBundleAddress(index, Width);
        }

        if (newSize % Width != 0)
        {
            yield return new EntryBundleAddress(newSize / Width, (int)(newSize % Width));
        }
    }

    /// <summary>The tile at <paramref name="level"/> holding hash <paramref name="hashIndex"/> as the tree of <paramref name="treeSize"/> serves it.</summary>
    public static TileAddress TileFor(int level, long hashIndex, long treeSize)
    {
        var count = HashCount(level, treeSize);
        if (hashIndex >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(hashIndex), $"Level {level} holds {count} hashes at tree size {treeSize}; {hashIndex} is beyond it.");
        }

        var index = hashIndex / Width;
        var width = (index + 1) * Width <= count ? Width : (int)(count % Width);
        return new TileAddress(level, index, width);
    }

    /// <summary>The entry bundle holding entry <paramref name="entryIndex"/> as the tree of <paramref name="treeSize"/> serves it.</summary>
    public static EntryBundleAddress EntryBundleFor(long entryIndex, long treeSize)
    {
        if (entryIndex < 0 || entryIndex >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(entryIndex), $"Entry {entryIndex} is not in a tree of size {treeSize}.");
        }

        var index = entryIndex / Width;
        var width = (index + 1) * Width <= treeSize ? Width : (int)(treeSize % Width);
        return new EntryBundleAddress(index, width);
    }

    private static string WidthSuffix(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, Width);
        return width == Width ? string.Empty : ".p/" + width.ToString(CultureInfo.InvariantCulture);
    }
}
