using System.Globalization;
using System.Text.RegularExpressions;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Functions.Log;

/// <summary>
/// A C2SP tlog-tiles object path (<c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> or <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>),
/// parsed strictly: only the canonical spelling <see cref="TileLayout"/> writes is accepted.
/// </summary>
internal sealed partial record TilePath(string Path, bool IsEntryBundle, int Level, long Index, int Width)
{
    /// <summary>How many leaves the tree needs before this object is complete and immutable.</summary>
    public UInt128 LeafEnd => IsEntryBundle
        ? (UInt128)(ulong)Index * TileLayout.Width + (ulong)Width
        : new TileAddress(Level, Index, Width).LeafEnd;

    public static bool TryParse(string tail, out TilePath? path, out string error)
    {
        path = null;
        error = string.Empty;
        var match = Shape().Match(tail);
        if (!match.Success)
        {
            error = "Tile paths are tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], with N in groups of three digits (x001/234).";
            return false;
        }

        var digits = match.Groups["n"].Value.Replace("x", string.Empty, StringComparison.Ordinal).Replace("/", string.Empty, StringComparison.Ordinal);
        if (digits.TrimStart('0').Length > 18 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            error = "The tile index is too large.";
            return false;
        }

        var width = TileLayout.Width;
        if (match.Groups["w"].Success && (!int.TryParse(match.Groups["w"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out width) || width is < 1 or >= TileLayout.Width))
        {
            error = $"A partial tile's width is 1 to {TileLayout.Width - 1}.";
            return false;
        }

        var entries = match.Groups["entries"].Success;
        var level = 0;
        if (!entries && (!int.TryParse(match.Groups["level"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out level) || level > TileLayout.MaxLevel))
        {
            error = $"The tile level is 0 to {TileLayout.MaxLevel}.";
            return false;
        }

        var canonical = entries ? TileLayout.EntryBundlePath(index, width) : TileLayout.TilePath(level, index, width);
        if (!string.Equals("tile/" + tail, canonical, StringComparison.Ordinal))
        {
            error = $"The canonical path of this object is '{canonical}'.";
            return false;
        }

        path = new TilePath(canonical, entries, level, index, width);
        return true;
    }

    [GeneratedRegex(@"^(?:(?<entries>entries)|(?<level>[0-9]{1,2}))/(?<n>(?:x[0-9]{3}/){0,6}[0-9]{3})(?:\.p/(?<w>[0-9]{1,3}))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
