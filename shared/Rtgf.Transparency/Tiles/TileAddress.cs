namespace Rtgf.Transparency.Tiles;

/// <summary>
/// One tile of the C2SP tlog-tiles layout: level <see cref="Level"/>, index <see cref="Index"/>, holding <see cref="Width"/> hashes
/// (256 for a full tile). Level -1 is not used: entry bundles have their own <see cref="EntryBundleAddress"/>.
/// </summary>
public readonly record struct TileAddress(int Level, long Index, int Width)
{
    public bool IsFull => Width == TileLayout.Width;

    public string Path => TileLayout.TilePath(Level, Index, Width);

    /// <summary>
    /// One past the last leaf index this tile's hashes cover (the tree size needed for them to exist). Exact up to
    /// <see cref="TileLayout.MaxLevel"/> (below 2^127); a higher level would wrap the shift, so it throws.
    /// </summary>
    public UInt128 LeafEnd
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(Level);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(Level, TileLayout.MaxLevel);
            return ((UInt128)(ulong)Index * TileLayout.Width + (ulong)Width) << (TileLayout.Height * Level);
        }
    }
}
