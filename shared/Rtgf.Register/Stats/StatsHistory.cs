using System.Text.Json;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Stats;

namespace Rtgf.Register.Stats;

/// <summary>Reads the statistics history newest first (row keys sort that way, <see cref="StatsTables.HistoryRow"/>).</summary>
public sealed class StatsHistory(IRecordStore records)
{
    /// <summary>Up to <paramref name="limit"/> entries after row <paramref name="afterRow"/> (from the newest when null), and the row to continue after (null at the end).</summary>
    public async Task<(IReadOnlyList<StatsHistoryEntry> Items, string? NextRow)> PageAsync(string? afterRow, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var rows = await records.QueryAsync(StatsTables.History, StatsTables.HistoryPartition, afterRow, limit + 1, cancellationToken).ConfigureAwait(false);
        var page = rows.Take(limit).ToList();
        var items = page.Select(r => JsonSerializer.Deserialize(r.Json, StatsJson.Default.StatsHistoryEntry)
            ?? throw new InvalidOperationException($"The history row {r.Row} is null.")).ToList();
        return (items, rows.Count > limit ? page[^1].Row : null);
    }

    /// <summary>Whether <paramref name="row"/> is a history row key (what a cursor may carry): 19 digits, '-', 64 lowercase hex digits.</summary>
    public static bool IsRow(string row) =>
        row is { Length: 84 } && row[19] == '-' && row.AsSpan(0, 19).IndexOfAnyExceptInRange('0', '9') < 0 && BuildIds.IsValid(BuildIds.Prefix + row[20..]);
}
