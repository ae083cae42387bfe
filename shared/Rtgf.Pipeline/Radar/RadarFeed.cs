using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Radar;

/// <summary>A page of an RTO's radar: items in row-key order and the row key to read on from (null: nothing read yet).</summary>
public sealed record RadarFeedPage(IReadOnlyList<RadarItem> Items, string? After);

/// <summary>
/// An RTO's radar feed (<c>GET /v1/rtos/{code}/radar</c>): its own partition merged with the broadcast partition, in
/// row-key order, after a row key the client got before. Only completed plans are shown (row keys before the next plan's
/// first key): a plan being written may still add a row with a smaller key, and a client that had read past it would
/// never see it.
/// </summary>
public sealed class RadarFeed(IRadarItemStore items, ISourceStateStore states)
{
    public async Task<RadarFeedPage> ReadAsync(string rto, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rto);
        var cursor = RadarCursor.Parse((await states.GetAsync(IngestSources.Radar, cancellationToken).ConfigureAwait(false)).Cursor);
        var before = RadarItem.PlanStart(cursor.Sequence + 1);
        var own = await items.ReadAsync(rto, after, before, limit, cancellationToken).ConfigureAwait(false);
        var all = await items.ReadAsync(RadarItem.Broadcast, after, before, limit, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<RadarItem> page = [.. own.Concat(all).OrderBy(i => i.RowKey, StringComparer.Ordinal).Take(limit)];
        return new RadarFeedPage(page, page.Count > 0 ? page[^1].RowKey : after);
    }
}
