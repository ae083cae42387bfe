namespace Rtgf.Pipeline.Radar;

/// <summary>The <c>radaritems</c> table: partition = RTO code (or <see cref="RadarItem.Broadcast"/>), row key = <see cref="RadarItem.RowKey"/>.</summary>
public interface IRadarItemStore
{
    /// <summary>Inserts each item unless its row exists (a duplicate insert is success: the row holds the same item).</summary>
    Task AddAsync(IReadOnlyList<RadarItem> items, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> items of a partition with <paramref name="after"/> &lt; row key &lt; <paramref name="before"/>, in row-key order.</summary>
    Task<IReadOnlyList<RadarItem>> ReadAsync(string partition, string? after, string before, int limit, CancellationToken cancellationToken = default);
}
