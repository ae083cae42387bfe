using System.Text.Json.Nodes;
using Rtgf.Ingestion.Calendar;
using Rtgf.Pipeline.Calendar;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Calendar;

/// <summary>calendar-sync: holidays and key dates as a whole-list source on Azurite against the simulator.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CalendarSyncWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>A year of the simulator: seven national holidays in every state, King's Birthday in each, one show day.</summary>
    private const int HolidaysAYear = (7 * 8) + 8 + 1;

    private static int Count(IEnumerable<MirrorRow> rows, string prefix) => rows.Count(r => r.RecordKey.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task FirstRun_WritesHolidaysAndKeyDates_RawFilesAndProvenance_AnUnchangedRunIsNoChange()
    {
        _h.NextRun();

        var first = await _h.Calendar.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, first.Run.Status);
        var keyDates = _h.KeyDates.Expand(DateOnly.FromDateTime(_h.Time.GetUtcNow().UtcDateTime), CalendarSettings.DefaultYearsAhead, CalendarSettings.DefaultYearsBehind);
        var rows = await _h.Calendar.ReadCurrentAsync(IngestTables.CalendarDates);
        Assert.Equal(rows.Count, first.Run.Records);
        Assert.Equal(HolidaysAYear, Count(rows.Where(r => r.RecordKey.Contains(":2025-", StringComparison.Ordinal)), "holiday:"));
        Assert.Equal([2019, 2024, 2025, 2026], rows.Where(r => r.RecordKey.StartsWith("holiday:", StringComparison.Ordinal)).Select(r => int.Parse(r.RecordKey.Split(':')[2][..4], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order());
        Assert.Equal(keyDates.Select(k => k.Key), rows.Where(r => r.RecordKey.StartsWith("key-date:", StringComparison.Ordinal)).Select(r => r.RecordKey).Order(StringComparer.Ordinal));
        Assert.Contains(rows, r => r.RecordKey == "key-date:ncver-total-vet-activity:2028-02-28");
        var australiaDay = JsonNode.Parse(rows.Single(r => r.RecordKey == "holiday:NSW:2025-01-27").Json)!;
        Assert.Equal(("holiday", "Australia Day", "NSW"), ((string)australiaDay["kind"]!, (string)australiaDay["title"]!, (string)australiaDay["jurisdiction"]!));
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Calendar))!;
        Assert.Equal(first.Compile!.SnapshotDigest, snapshot.Manifest.Digest);
        Assert.Equal(5, snapshot.Manifest.Provenance.Count);
        Assert.Contains(snapshot.Manifest.Provenance, p => p.Url == CalendarFeed.KeyDatesProvenance);
        Assert.Equal(4, snapshot.Manifest.Provenance.Count(p => p.Operation == "holidays-csv" && p.ETag is not null));
        var raw = await _h.RawNamesAsync($"calendar/{first.Run.RunId}/");
        Assert.Equal(
            [$"calendar/{first.Run.RunId}/ckan-package-show-1.json", .. Enumerable.Range(1, 4).Select(n => $"calendar/{first.Run.RunId}/holidays-csv-{n}.csv")],
            raw.Order(StringComparer.Ordinal));

        _h.NextRun();
        var second = await _h.Calendar.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.NoChange, second.Run.Status);
        Assert.Null(second.Compile);
        Assert.Single(await _h.ManifestNamesAsync(IngestSources.Calendar));
    }

    [Fact]
    public async Task NewYearsResource_IsANewGenerationWithThatYearsHolidays_TheOldGenerationIsDropped()
    {
        _h.NextRun();
        var first = await _h.Calendar.RunAsync(IngestTrigger.Timer);
        await _h.ScenarioAsync("holidays-new-year");

        _h.NextRun();
        var second = await _h.Calendar.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        Assert.NotEqual(first.Compile!.SnapshotDigest, second.Compile!.SnapshotDigest);
        Assert.Equal(first.Run.Records + HolidaysAYear, second.Run.Records);
        var rows = await _h.Calendar.ReadCurrentAsync(IngestTables.CalendarDates);
        Assert.Equal(HolidaysAYear, Count(rows.Where(r => r.RecordKey.Contains(":2027-", StringComparison.Ordinal)), "holiday:"));
        Assert.Contains(rows, r => r.RecordKey == "holiday:SA:2027-03-26");
        Assert.Empty(await _h.Tables.Open(IngestTables.CalendarDates).GetPartitionAsync(first.Run.RunId));
    }

    [Fact]
    public async Task BadDate_FailsTheRun_NothingChanges()
    {
        _h.NextRun();
        var first = await _h.Calendar.RunAsync(IngestTrigger.Timer);
        await _h.ScenarioAsync("holidays-new-year");
        await _h.FaultAsync($"/data/dataset/{PublicHolidaysClient.DatasetId}/", "drift", 1);

        _h.NextRun();
        var failed = await _h.Calendar.RunAsync(IngestTrigger.Timer);

        Assert.Equal(IngestRunStatus.Failed, failed.Run.Status);
        Assert.StartsWith("fetch: UpstreamFormatException: Holidays resource australian_public_holidays_2019.csv", failed.Run.Error, StringComparison.Ordinal);
        Assert.Contains("row 2, column 'Date'", failed.Run.Error, StringComparison.Ordinal);
        Assert.Equal(first.Run.Records, (await _h.Calendar.ReadCurrentAsync(IngestTables.CalendarDates)).Count);
        Assert.Equal(first.Compile!.SnapshotDigest, (await _h.Snapshots.GetLatestAsync(IngestSources.Calendar))!.Manifest.Digest);
    }

    [Fact]
    public async Task Reader_BeforeTheFirstSyncIsEmpty_ThenReadsTheCurrentGenerationByDateThenKey()
    {
        var reader = new CalendarReader(_h.States, _h.Tables);
        var before = await reader.ReadAsync();
        _h.NextRun();
        var run = await _h.Calendar.RunAsync(IngestTrigger.Timer);

        var after = await reader.ReadAsync();

        Assert.Equal((null, 0), (before.Generation, before.Entries.Count));
        Assert.Equal(run.Run.RunId, after.Generation);
        Assert.Equal(run.Run.Records, after.Entries.Count);
        Assert.Equal(after.Entries.OrderBy(e => e.Date, StringComparer.Ordinal).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key), after.Entries.Select(e => e.Key));
        var standards = after.Entries.Single(e => e.Key == "key-date:standards-for-rtos-2025:2025-07-01");
        Assert.Equal(("key-date", "national", "2025-07-01", true), (standards.Kind, standards.Jurisdiction, standards.EffectiveFrom, standards.Verified));
    }
    [Fact]
    public async Task Reader_ASyncSwapsThePointerAndDropsTheOldGenerationMidScan_ReadsTheNewGenerationWhole()
    {
        _h.NextRun();
        var first = await _h.Calendar.RunAsync(IngestTrigger.Timer);
        await _h.ScenarioAsync("holidays-new-year");
        IngestOutcome? second = null;
        var tables = new MidScanTables(_h.Tables, async () =>
        {
            _h.NextRun();
            second = await _h.Calendar.RunAsync(IngestTrigger.Timer);
        });

        var listing = await new CalendarReader(_h.States, tables).ReadAsync();

        Assert.NotNull(second);
        Assert.NotEqual(first.Run.RunId, second.Run.RunId);
        Assert.Equal([first.Run.RunId, second.Run.RunId], tables.Scanned); // the old generation (dropped under the scan), then the new one
        Assert.Equal(second.Run.RunId, listing.Generation);
        Assert.Equal(second.Run.Records, listing.Entries.Count);
        Assert.True(listing.Entries.Count > first.Run.Records);
    }

    /// <summary>Record tables whose first partition scan first lets <paramref name="interleave"/> (a whole sync) run.</summary>
    private sealed class MidScanTables(IRecordTables inner, Func<Task> interleave) : IRecordTables
    {
        public List<string> Scanned { get; } = [];

        public Func<Task> Interleave { get; } = interleave;

        public IRecordTable Open(string name) => new Table(inner.Open(name), this);

        private sealed class Table(IRecordTable inner, MidScanTables owner) : IRecordTable
        {
            public string Name => inner.Name;

            public Task<StoredRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default) => inner.GetAsync(partitionKey, rowKey, cancellationToken);

            public async Task<IReadOnlyList<StoredRow>> GetPartitionAsync(string partitionKey, CancellationToken cancellationToken = default)
            {
                owner.Scanned.Add(partitionKey);
                if (owner.Scanned.Count == 1)
                {
                    await owner.Interleave();
                }

                return await inner.GetPartitionAsync(partitionKey, cancellationToken);
            }

            public Task<bool> TryWriteAsync(MirrorRow row, string? etag, CancellationToken cancellationToken = default) => inner.TryWriteAsync(row, etag, cancellationToken);

            public Task<bool> TrySubmitAsync(string partitionKey, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default) => inner.TrySubmitAsync(partitionKey, changes, cancellationToken);

            public IAsyncEnumerable<MirrorRow> ReadAllAsync(CancellationToken cancellationToken = default) => inner.ReadAllAsync(cancellationToken);
        }
    }
}
