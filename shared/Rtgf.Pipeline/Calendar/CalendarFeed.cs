using Rtgf.Ingestion.Calendar;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Calendar;

/// <summary>
/// <c>calendar-sync</c>'s whole list: every year's public holidays per state from data.gov.au, and the regulatory key
/// dates of the checked-in file expanded for this year, <see cref="CalendarSettings.YearsAhead"/> more and
/// <see cref="CalendarSettings.YearsBehind"/> before (this year is our clock's UTC year, so the list moves on each
/// 1 January UTC, 10 or 11 hours after Australia's east coast; the year behind keeps last year's dates listed meanwhile). Provenance: each holidays file read (with its ETag) and the key-date file.
/// </summary>
public sealed class CalendarFeed(PublicHolidaysClient client, string datasetId, KeyDates keyDates, int yearsAhead, TimeProvider time, int yearsBehind = CalendarSettings.DefaultYearsBehind) : IFeedSource
{
    /// <summary>The provenance entry of the checked-in key-date file (its version is in the name).</summary>
    public static readonly string KeyDatesProvenance = $"urn:rtgf:key-dates:v{KeyDates.Version}";

    public string Source => IngestSources.Calendar;

    public IReadOnlyList<string> Tables { get; } = [IngestTables.CalendarDates];

    public async Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default)
    {
        var holidays = await client.GetAsync(datasetId, cancellationToken).ConfigureAwait(false);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var dates = keyDates.Expand(today, yearsAhead, yearsBehind);
        return new FeedFetch(
            [.. holidays.Holidays.Concat(dates).Select(r => new FeedRecord(IngestTables.CalendarDates, r))],
            [.. holidays.Resources.Select(r => new SnapshotProvenance(r.Url.AbsoluteUri, PublicHolidaysClient.CsvOperation, r.ETag)), new SnapshotProvenance(KeyDatesProvenance, "key-dates")]);
    }
}
