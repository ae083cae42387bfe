namespace Rtgf.Transparency.Tiles;

/// <summary>An entry bundle of the tlog-tiles layout: entries <c>Index*256</c> to <c>Index*256 + Width - 1</c>.</summary>
public readonly record struct EntryBundleAddress(long Index, int Width)
{
    public bool IsFull => Width == TileLayout.Width;

    public string Path => TileLayout.EntryBundlePath(Index, Width);

    public long FirstEntry => Index * TileLayout.Width;

    public long LeafEnd => (Index * TileLayout.Width) + Width;
}
