namespace Rtgf.Pipeline.Stats;

/// <summary>The statistics history (the seed's <c>tga_snapshots</c>): one row per publication in table <see cref="History"/>.</summary>
public static class StatsTables
{
    /// <summary>partition <see cref="HistoryPartition"/>, row = <see cref="HistoryRow"/> (newest first in row-key order).</summary>
    public const string History = "statshistory";

    public const string HistoryPartition = "publication";

    /// <summary>
    /// The row key of a publication: the ticks left until <see cref="DateTimeOffset.MaxValue"/> (19 digits, so later
    /// publications sort first), then the build's hex (two publications in one tick stay distinct and in a fixed order).
    /// </summary>
    public static string HistoryRow(DateTimeOffset publishedAt, string buildHex) =>
        (DateTimeOffset.MaxValue.UtcTicks - publishedAt.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-" + buildHex;
}
