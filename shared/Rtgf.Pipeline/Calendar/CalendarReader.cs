using System.Text.Json;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Calendar;

/// <summary>A calendar entry as the public API serves it (a <c>calendardates</c> row's record).</summary>
public sealed record CalendarEntry(
    string Key,
    string Kind,
    string Date,
    string Jurisdiction,
    string Title,
    string? Information,
    string? Source,
    string? EffectiveFrom,
    string? EffectiveTo,
    string? Id,
    bool? Verified);

/// <summary>The current generation of the calendar (null before the first sync) and its entries ordered by date, then key.</summary>
public sealed record CalendarListing(string? Generation, IReadOnlyList<CalendarEntry> Entries);

/// <summary>
/// Reads the calendar's Layer-1 table through the source's generation pointer (as <see cref="FeedSyncWorker.ReadCurrentAsync"/>
/// does), so a reader sees the old list or the new one, never a mix. A sync swaps the pointer and then deletes the old
/// generation's rows, so a scan of a generation that stopped being current meanwhile may be partial: after each scan the
/// pointer is read again, and when it moved the new generation is scanned (at most <see cref="MaxScans"/> scans). The
/// whole list is a few hundred rows.
/// </summary>
public sealed class CalendarReader(ISourceStateStore states, IRecordTables tables)
{
    /// <summary>Scans before giving up on a pointer that moves under every one (syncs run daily; this is a safety bound).</summary>
    public const int MaxScans = 3;

    public async Task<CalendarListing> ReadAsync(CancellationToken cancellationToken = default)
    {
        var generation = (await states.GetAsync(IngestSources.Calendar, cancellationToken).ConfigureAwait(false)).Generation;
        for (var scan = 1; generation is not null; scan++)
        {
            var rows = await tables.Open(IngestTables.CalendarDates).GetPartitionAsync(generation, cancellationToken).ConfigureAwait(false);
            var now = (await states.GetAsync(IngestSources.Calendar, cancellationToken).ConfigureAwait(false)).Generation;
            if (string.Equals(now, generation, StringComparison.Ordinal))
            {
                var entries = rows.Where(r => !r.Row.Deleted).Select(r => Entry(r.Row.RecordKey, r.Row.Json))
                    .OrderBy(e => e.Date, StringComparer.Ordinal)
                    .ThenBy(e => e.Key, StringComparer.Ordinal)
                    .ToList();
                return new CalendarListing(generation, entries);
            }

            if (scan == MaxScans)
            {
                throw new InvalidOperationException($"The calendar's generation moved during each of {MaxScans} scans; try again.");
            }

            generation = now;
        }

        return new CalendarListing(null, []);
    }

    private static CalendarEntry Entry(string key, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        bool? Flag(string name) => root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
        return new CalendarEntry(
            key, Text("kind")!, Text("date")!, Text("jurisdiction")!, Text("title")!, Text("information"), Text("source"),
            Text("effectiveFrom"), Text("effectiveTo"), Text("id"), Flag("verified"));
    }
}
